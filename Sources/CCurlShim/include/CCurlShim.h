#ifndef CCURLSHIM_H
#define CCURLSHIM_H

#include <stddef.h>

/// One HTTP request for libcurl, loaded at run time (dlopen), so nothing links against curl.
/// Strings are NUL-terminated; NULL or zero length means "not set".
typedef struct {
    const char *url;
    const char *method;
    const char *const *headers;
    int header_count;
    const unsigned char *body;
    size_t body_len;
    /// Trust: a CA bundle file, or PEM bytes (CAINFO_BLOB); neither means the system trust store.
    const char *ca_file;
    const unsigned char *ca_pem;
    size_t ca_pem_len;
    /// Client certificate and key: files or PEM bytes.
    const char *cert_file;
    const char *key_file;
    const unsigned char *cert_pem;
    size_t cert_pem_len;
    const unsigned char *key_pem;
    size_t key_pem_len;
    int insecure_skip_verify;
    /// Hosts that never go through a proxy (curl's NOPROXY syntax).
    const char *no_proxy;
    long timeout_ms;
    long connect_timeout_ms;
} ccurl_request;

/// Called with each piece of the response body and the status code; return 0 to abort.
typedef int (*ccurl_body_fn)(const char *data, size_t len, long status, void *ctx);
/// Called about once a second while the transfer runs; return non-zero to abort.
typedef int (*ccurl_abort_fn)(void *ctx);

/// 1 when libcurl could be loaded; otherwise 0 and a message in err.
int ccurl_available(char *err, size_t err_len);

/// Performs the request, blocking. Returns 0 on success (any HTTP status), else the curl error
/// code with a message in err. The final status is stored in *status_out.
int ccurl_perform(const ccurl_request *req, ccurl_body_fn on_body, ccurl_abort_fn should_abort, void *ctx,
                  long *status_out, char *err, size_t err_len);

#endif
