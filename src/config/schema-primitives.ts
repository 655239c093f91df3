/** The schema's building blocks: names, durations, ports, regions, images, ARNs, shared by the service and traffic schemas. */
import { z } from "zod";
import { DURATION_HINT, DURATION_PATTERN, parseDuration } from "./duration";
import { LOG_RETENTION_DAYS } from "./limits";

/** A DNS label that is also a valid ECR path component: no leading, trailing or doubled hyphen. */
export const DNS_LABEL = /^(?=.{1,63}$)[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const DNS_LABEL_HINT =
  "lowercase letters, digits and single hyphens, starting with a letter, not ending with a hyphen, at most 63 characters";

export const label = (what: string) => z.string().regex(DNS_LABEL, { error: `${what} must be ${DNS_LABEL_HINT}` });

export const duration = z
  .string({ error: `must be ${DURATION_HINT}` })
  .regex(DURATION_PATTERN, { error: `must be ${DURATION_HINT}` })
  .transform(parseDuration);

/** A duration bounded in milliseconds, with the bounds in the message. */
export const durationBetween = (minMs: number, maxMs: number, shown: string) =>
  duration.refine((ms) => ms >= minMs && ms <= maxMs, { error: `must be between ${shown}` });

export const port = z.int({ error: "must be a whole number from 1 to 65535" }).min(1).max(65535);

export const ServiceName = label("a service name");

export const region = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, { error: 'must be an AWS region such as "eu-west-1"' });

export const retention = z.int().refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
  error: `must be a CloudWatch Logs retention: one of ${LOG_RETENTION_DAYS.join(", ")}`,
});

/** A container image reference: [registry[:port]/]path[:tag][@sha256:digest] (Docker's grammar). */
export const IMAGE =
  /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::\w[\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
export const image = z.string().regex(IMAGE, { error: 'must be a container image such as "public.ecr.aws/xray/aws-xray-daemon:3.3.14"' });

/** ACM certificates and AWS Private CAs, by ARN. */
export const ACM_CERTIFICATE = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
export const ACM_PCA = /^arn:aws[a-z-]*:acm-pca:[a-z0-9-]+:\d{12}:certificate-authority\/[0-9a-f-]{36}$/;
export const acmCertificate = z.string().regex(ACM_CERTIFICATE, {
  error: 'must be an ACM certificate ARN such as "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"',
});
