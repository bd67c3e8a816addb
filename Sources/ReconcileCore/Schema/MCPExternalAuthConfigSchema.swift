/// MCPExternalAuthConfig (spec B §8.1): `type` selects exactly one configuration block.
enum MCPExternalAuthConfigSchema {
    static let kind = KindSchema(
        Kinds.mcpExternalAuthConfig, plural: "mcpexternalauthconfigs", shortNames: ["extauth", "mcpextauth"],
        columns: [PrinterColumn("Type", "string", ".spec.type"), .condition("Valid", type: "Valid"), .age],
        spec: spec, status: SharedSchemas.configStatus)

    /// The configuration blocks, one per `type` except `unauthenticated`.
    static let blocks = ["tokenExchange", "headerInjection", "bearerToken", "embeddedAuthServer", "awsSts", "upstreamInject", "obo", "xaa"]

    static let spec: SchemaNode = blocks.reduce(fields) { node, block in
        node.rule("self.type == '\(block)' ? has(self.\(block)) : !has(self.\(block))",
                  "\(block) configuration must be set if and only if type is '\(block)'") { s in (s.string("type") == block) == s.has(block) }
    }
    .rule(#"self.type == 'unauthenticated' ? (!has(self.tokenExchange) && !has(self.headerInjection) && !has(self.bearerToken) && !has(self.embeddedAuthServer) && !has(self.awsSts) && !has(self.upstreamInject) && !has(self.obo) && !has(self.xaa)) : true"#,
          "no configuration must be set when type is 'unauthenticated'") { s in s.string("type") != "unauthenticated" || !MCPExternalAuthConfigSchema.blocks.contains { s.has($0) } }

    private static let fields: SchemaNode = .object([
        "awsSts": .object([
            "fallbackRoleArn": .string.pattern(#"^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:role/[\w+=,.@\-_/]+$"#),
            "region": .string.pattern(#"^[a-z]{2}(-[a-z]+)+-\d+$"#).minLen(1).req,
            "roleClaim": .string.def("groups"),
            "roleMappings": .list(.object([
                "claim": .string.minLen(1),
                "matcher": .string.minLen(1),
                "priority": .int32.min(0),
                "roleArn": .string.pattern(#"^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:role/[\w+=,.@\-_/]+$"#).req,
            ])).atomic,
            "service": .string.def("aws-mcp"),
            "sessionDuration": .int32.def(3600).range(900...43200),
            "sessionNameClaim": .string.def("sub"),
            "subjectProviderName": .string,
        ]),
        "bearerToken": .object([
            "tokenSecretRef": SharedSchemas.secretKeyRef.req,
        ]),
        "embeddedAuthServer": SharedSchemas.embeddedAuthServer,
        "headerInjection": .object([
            "headerName": .string.minLen(1).req,
            "valueSecretRef": SharedSchemas.secretKeyRef.req,
        ]),
        "obo": .object([
            "audience": .string,
            "authority": .string.pattern(#"^https://[^\s?#@]+[^/\s?#@]$"#),
            "cacheSkew": .string,
            "clientId": .string,
            "clientSecretRef": SharedSchemas.secretKeyRef,
            "scopes": .list(.string.minLen(1).maxLen(256)).maxItems(20).atomic,
            "subjectTokenProviderName": .string.pattern(#"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"#).minLen(1).maxLen(63),
            "tenantId": .string.pattern(#"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,})$"#).maxLen(253),
        ]),
        "tokenExchange": .object([
            "audience": .string.req,
            "clientId": .string,
            "clientSecretRef": SharedSchemas.secretKeyRef,
            "externalTokenHeaderName": .string,
            "scopes": .list(.string).atomic,
            "subjectProviderName": .string,
            "subjectTokenType": .string.pattern(#"^(access_token|id_token|jwt|urn:ietf:params:oauth:token-type:(access_token|id_token|jwt))?$"#),
            "tokenUrl": .string.req,
        ]),
        "type": .string.enumOf("tokenExchange", "headerInjection", "bearerToken", "unauthenticated", "embeddedAuthServer", "awsSts", "upstreamInject", "obo", "xaa").req,
        "upstreamInject": .object([
            "providerName": .string.minLen(1).req,
        ]),
        "xaa": .object([
            "idpClientId": .string,
            "idpClientSecretRef": SharedSchemas.secretKeyRef,
            "idpTokenUrl": .string.pattern(#"^https://.*$"#).req,
            "insecureTargetTokenUrl": .boolean,
            "scopes": .list(.string).atomic,
            "subjectProviderName": .string,
            "subjectTokenType": .string.enumOf("urn:ietf:params:oauth:token-type:id_token"),
            "targetAudience": .string.req,
            "targetClientId": .string,
            "targetClientSecretRef": SharedSchemas.secretKeyRef,
            "targetResource": .string,
            "targetTokenUrl": .string.req,
        ]),
    ])
}
