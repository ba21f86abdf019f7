/* Does a certificate name the server we meant to reach? RFC 9525 (which obsoletes RFC 6125)
 * for TLS clients of the Web PKI.
 *
 * The reference name is what the application asked for: a DNS host name, or an IPv4/IPv6
 * literal. Presented names come only from the subjectAltName extension: dNSName entries for
 * DNS names, iPAddress entries for IP literals, never one for the other. The subject's Common
 * Name is never used (RFC 9525 §6.4 forbids it; browsers stopped in 2017), so a certificate
 * without a SAN is refused with SSL_ERR_CERT_NO_SAN, a message that says exactly that.
 *
 * DNS names compare label by label, ASCII case-insensitively (RFC 4343); one trailing dot on
 * either side is ignored. A presented name may be a wildcard only as "*." followed by at least
 * two labels ("*.example.com", never "*.com", "f*.example.com" or "*.*.example.com"), and the
 * "*" matches exactly one non-empty label. Internationalised names are compared in their
 * A-label (xn--) form, which is what certificates carry; converting U-labels is the caller's. */
#ifndef PL_X509_HOSTNAME_H
#define PL_X509_HOSTNAME_H

#include "x509/cert.h"

/* Is name an IPv4 or IPv6 literal? Then *len is 4 or 16 and ip holds the address. */
int pl_hostname_parse_ip(const char *name, uint8_t ip[16], size_t *len);

/* Is name something a certificate can be checked against: an IP literal, or a host name of
 * letters, digits, hyphens and underscores (labels 1-63 bytes, 253 in all, one trailing dot
 * allowed)? 1 or 0. */
int pl_hostname_valid(const char *name);

/* 0 when the certificate's SAN covers name; SSL_ERR_CERT_NO_SAN, SSL_ERR_CERT_NAME_MISMATCH,
 * or SSL_ERR_BAD_HOSTNAME when name is neither an IP literal nor a valid host name (labels of
 * letters, digits, hyphens and underscores, 1-63 bytes each, 253 in all). */
PL_MUST_CHECK int pl_hostname_check(const pl_cert *cert, const char *name);

/* One presented dNSName against one reference name (both as bytes; exposed for tests). */
int pl_hostname_match_dns(pl_slice presented, pl_slice reference);

#endif
