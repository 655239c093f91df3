/** TLS as App Mesh spells it: the listener's certificate and client validation, a caller's client policy, and the IAM they need. */
import type { CertificateSource, ResolvedBackend, ResolvedService, Tls, TrustSource } from "../../config/model";
import type { Statement } from "../../constructs/policy-document";

export function certificateSpec(c: CertificateSource) {
  if ("acm" in c) return { acm: { certificateArn: c.acm } };
  if ("file" in c) return { file: { certificateChain: c.file.chain, privateKey: c.file.key } };
  return { sds: { secretName: c.sds } };
}

export function trustSpec(t: TrustSource) {
  if ("acm" in t) return { acm: { certificateAuthorityArns: [t.acm] } };
  if ("file" in t) return { file: { certificateChain: t.file } };
  return { sds: { secretName: t.sds } };
}

/** The listener's TLS: its certificate and, for mutual TLS, what callers' certificates must chain to. */
export function listenerTls(t: Tls) {
  const v = t.clientValidation;
  return {
    mode: t.mode,
    certificate: certificateSpec(t.certificate!),
    ...(v && {
      validation: {
        trust: trustSpec(v.trust),
        ...(v.subjectAlternativeNames.length > 0 && { subjectAlternativeNames: { match: { exact: v.subjectAlternativeNames } } }),
      },
    }),
  };
}

/** A caller's client policy for a TLS backend: TLS enforced on its port, verified against its trust, with the caller's certificate when mutual. */
export function clientPolicy(tls: NonNullable<ResolvedBackend["tls"]>, clientCertificate?: ResolvedService["clientCertificate"]) {
  return {
    tls: {
      enforce: true,
      ports: [tls.port],
      validation: { trust: trustSpec(tls.trust) },
      ...(tls.mutual && clientCertificate && { certificate: certificateSpec(clientCertificate) }),
    },
  };
}

/** What Envoy needs for TLS: to export its own ACM certificate, and to read the Private CAs it verifies backends against. */
export function tlsStatements(certificate: CertificateSource | undefined, trusts: readonly TrustSource[]): Statement[] {
  const authorities = [...new Set(trusts.flatMap((t) => ("acm" in t ? [t.acm] : [])))].sort();
  return [
    ...(certificate && "acm" in certificate
      ? [{ Sid: "TlsOwnCertificate", Effect: "Allow" as const, Action: "acm:ExportCertificate", Resource: certificate.acm }]
      : []),
    ...(authorities.length > 0
      ? [
          {
            Sid: "TlsBackendAuthorities",
            Effect: "Allow" as const,
            Action: "acm-pca:GetCertificateAuthorityCertificate",
            Resource: authorities.length === 1 ? authorities[0]! : authorities,
          },
        ]
      : []),
  ];
}
