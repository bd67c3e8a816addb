// A thin bridge to the system libcurl (the library FoundationNetworking itself uses), opened with
// dlopen so the package needs no link flags and no headers: the few option numbers used are
// part of libcurl's stable ABI.
#include "CCurlShim.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

typedef int CURLcode;
typedef void CURL;
struct curl_slist;
struct curl_blob { void *data; size_t len; unsigned int flags; };

enum {
    OPT_WRITEDATA = 10001, OPT_URL = 10002, OPT_ERRORBUFFER = 10010, OPT_POSTFIELDS = 10015,
    OPT_HTTPHEADER = 10023, OPT_SSLCERT = 10025, OPT_HEADERDATA = 10029, OPT_CUSTOMREQUEST = 10036,
    OPT_CAINFO = 10065, OPT_SSLCERTTYPE = 10086, OPT_SSLKEY = 10087, OPT_SSLKEYTYPE = 10088,
    OPT_NOPROXY = 10177, OPT_WRITEFUNCTION = 20011, OPT_HEADERFUNCTION = 20079,
    OPT_XFERINFOFUNCTION = 20219, OPT_XFERINFODATA = 10057, OPT_POSTFIELDSIZE_LARGE = 30120,
    OPT_SSLCERT_BLOB = 40291, OPT_SSLKEY_BLOB = 40292, OPT_CAINFO_BLOB = 40309,
    OPT_NOPROGRESS = 43, OPT_SSL_VERIFYPEER = 64, OPT_SSL_VERIFYHOST = 81, OPT_HTTP_VERSION = 84,
    OPT_NOSIGNAL = 99, OPT_TIMEOUT_MS = 155, OPT_CONNECTTIMEOUT_MS = 156,
};
#define INFO_RESPONSE_CODE 0x200002
#define HTTP_VERSION_1_1 2L
#define BLOB_COPY 1u

static struct {
    void *lib;
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, int, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, int, ...);
    void (*easy_cleanup)(CURL *);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    const char *(*easy_strerror)(CURLcode);
    char error[256];
} api;

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
    const char *names[] = {"libcurl.so.4", "libcurl.so", "libcurl-gnutls.so.4", "libcurl-nss.so.4", "libcurl.4.dylib", NULL};
    for (int i = 0; names[i] && !api.lib; i++) api.lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!api.lib) {
        snprintf(api.error, sizeof api.error, "libcurl not found: %s", dlerror());
        return;
    }
#define SYM(field, name) *(void **)(&api.field) = dlsym(api.lib, name); \
    if (!api.field) { snprintf(api.error, sizeof api.error, "libcurl lacks %s", name); api.lib = NULL; return; }
    SYM(global_init, "curl_global_init")
    SYM(easy_init, "curl_easy_init")
    SYM(easy_setopt, "curl_easy_setopt")
    SYM(easy_perform, "curl_easy_perform")
    SYM(easy_getinfo, "curl_easy_getinfo")
    SYM(easy_cleanup, "curl_easy_cleanup")
    SYM(slist_append, "curl_slist_append")
    SYM(slist_free_all, "curl_slist_free_all")
    SYM(easy_strerror, "curl_easy_strerror")
#undef SYM
    if (api.global_init(3L) != 0) {  // CURL_GLOBAL_DEFAULT
        snprintf(api.error, sizeof api.error, "curl_global_init failed");
        api.lib = NULL;
    }
}

int ccurl_available(char *err, size_t err_len) {
    pthread_once(&once, load);
    if (!api.lib && err && err_len) snprintf(err, err_len, "%s", api.error);
    return api.lib != NULL;
}

typedef struct {
    ccurl_body_fn on_body;
    ccurl_abort_fn should_abort;
    void *ctx;
    long status;
} transfer;

// The status line of each response (a 100-continue comes first, then the real one).
static size_t on_header(char *data, size_t size, size_t n, void *userdata) {
    transfer *t = userdata;
    size_t len = size * n;
    if (len > 9 && memcmp(data, "HTTP/", 5) == 0) {
        const char *sp = memchr(data, ' ', len);
        if (sp && (size_t)(sp - data) + 4 <= len) {
            long code = 0;
            for (int i = 1; i <= 3; i++) {
                char c = sp[i];
                if (c < '0' || c > '9') { code = -1; break; }
                code = code * 10 + (c - '0');
            }
            if (code > 0) t->status = code;
        }
    }
    return len;
}

static size_t on_write(char *data, size_t size, size_t n, void *userdata) {
    transfer *t = userdata;
    size_t len = size * n;
    if (len == 0) return 0;
    return t->on_body(data, len, t->status, t->ctx) ? len : 0;
}

static int on_progress(void *userdata, long long dt, long long dn, long long ut, long long un) {
    (void)dt; (void)dn; (void)ut; (void)un;
    transfer *t = userdata;
    return t->should_abort ? t->should_abort(t->ctx) : 0;
}

int ccurl_perform(const ccurl_request *req, ccurl_body_fn on_body, ccurl_abort_fn should_abort, void *ctx,
                  long *status_out, char *err, size_t err_len) {
    if (!ccurl_available(err, err_len)) return -1;
    CURL *h = api.easy_init();
    if (!h) { snprintf(err, err_len, "curl_easy_init failed"); return -1; }
    char errbuf[256] = {0};
    transfer t = {on_body, should_abort, ctx, 0};
    struct curl_slist *headers = NULL;
    for (int i = 0; i < req->header_count; i++) headers = api.slist_append(headers, req->headers[i]);

    CURLcode rc = 0;
#define SET(opt, val) if (rc == 0) rc = api.easy_setopt(h, opt, val)
    SET(OPT_ERRORBUFFER, errbuf);
    SET(OPT_URL, req->url);
    SET(OPT_NOSIGNAL, 1L);
    SET(OPT_HTTP_VERSION, HTTP_VERSION_1_1);
    if (req->method) SET(OPT_CUSTOMREQUEST, req->method);
    if (headers) SET(OPT_HTTPHEADER, headers);
    if (req->body) {
        SET(OPT_POSTFIELDSIZE_LARGE, (long long)req->body_len);
        SET(OPT_POSTFIELDS, (const char *)req->body);
    }
    SET(OPT_HEADERFUNCTION, on_header);
    SET(OPT_HEADERDATA, &t);
    SET(OPT_WRITEFUNCTION, on_write);
    SET(OPT_WRITEDATA, &t);
    SET(OPT_NOPROGRESS, 0L);
    SET(OPT_XFERINFOFUNCTION, on_progress);
    SET(OPT_XFERINFODATA, &t);
    if (req->no_proxy) SET(OPT_NOPROXY, req->no_proxy);
    if (req->timeout_ms > 0) SET(OPT_TIMEOUT_MS, req->timeout_ms);
    if (req->connect_timeout_ms > 0) SET(OPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms);
    if (req->insecure_skip_verify) {
        SET(OPT_SSL_VERIFYPEER, 0L);
        SET(OPT_SSL_VERIFYHOST, 0L);
    }
    struct curl_blob ca = {(void *)req->ca_pem, req->ca_pem_len, BLOB_COPY};
    struct curl_blob cert = {(void *)req->cert_pem, req->cert_pem_len, BLOB_COPY};
    struct curl_blob key = {(void *)req->key_pem, req->key_pem_len, BLOB_COPY};
    if (req->ca_file) SET(OPT_CAINFO, req->ca_file);
    if (req->ca_pem && req->ca_pem_len) SET(OPT_CAINFO_BLOB, &ca);
    if (req->cert_file) SET(OPT_SSLCERT, req->cert_file);
    if (req->cert_pem && req->cert_pem_len) { SET(OPT_SSLCERTTYPE, "PEM"); SET(OPT_SSLCERT_BLOB, &cert); }
    if (req->key_file) SET(OPT_SSLKEY, req->key_file);
    if (req->key_pem && req->key_pem_len) { SET(OPT_SSLKEYTYPE, "PEM"); SET(OPT_SSLKEY_BLOB, &key); }
#undef SET
    if (rc != 0) {
        snprintf(err, err_len, "curl option not supported: %s", api.easy_strerror(rc));
    } else {
        rc = api.easy_perform(h);
        if (rc != 0) snprintf(err, err_len, "%s", errbuf[0] ? errbuf : api.easy_strerror(rc));
    }
    long code = 0;
    api.easy_getinfo(h, INFO_RESPONSE_CODE, &code);
    if (status_out) *status_out = code ? code : t.status;
    if (headers) api.slist_free_all(headers);
    api.easy_cleanup(h);
    return rc;
}
