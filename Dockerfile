# Builds operatorctl and ships it on a slim runtime with the Swift runtime libraries and libcurl
# (the HTTP client loads the system libcurl at run time; see docs/adapter.md).
FROM swift:6.0-bookworm AS build
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product operatorctl --static-swift-stdlib \
    && cp "$(swift build -c release --show-bin-path)/operatorctl" /operatorctl

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libcurl4 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /operatorctl /usr/local/bin/operatorctl
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/operatorctl"]
CMD ["run"]
