/* Certificates: the names one covers, and the local CA made on first run so
 * that `--tls-listen` works without any file (tls.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/tls.h"

/* Adds one DNS name (lower-cased copy) or IP address to id. */
static int add_dns(hs__tls_identity_t *id, const char *s, size_t n) {
  char **d = realloc(id->dns, (id->ndns + 1) * sizeof(*d));
  if (!d)
    return -1;
  id->dns = d;
  char *c = malloc(n + 1);
  if (!c)
    return -1;
  for (size_t i = 0; i < n; i++)
    c[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
  c[n] = 0;
  id->dns[id->ndns++] = c;
  return 0;
}

static int add_ip(hs__tls_identity_t *id, const unsigned char *b, int n) {
  if (n != 4 && n != 16)
    return 0;
  unsigned char(*ips)[16] = realloc(id->ips, (id->nips + 1) * sizeof(*ips));
  if (!ips)
    return -1;
  id->ips = ips;
  unsigned char *lens = realloc(id->iplen, id->nips + 1);
  if (!lens)
    return -1;
  id->iplen = lens;
  memcpy(id->ips[id->nips], b, (size_t)n);
  id->iplen[id->nips++] = (unsigned char)n;
  return 0;
}

int hs__tls_identity_names(hs__tls_identity_t *id, X509 *cert) {
  if (!cert)
    return -1;
  GENERAL_NAMES *sans = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
  int rc = 0;
  for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans) && rc == 0; i++) {
    const GENERAL_NAME *g = sk_GENERAL_NAME_value(sans, i);
    if (g->type == GEN_DNS)
      rc = add_dns(id, (const char *)ASN1_STRING_get0_data(g->d.dNSName),
                   (size_t)ASN1_STRING_length(g->d.dNSName));
    else if (g->type == GEN_IPADD)
      rc = add_ip(id, ASN1_STRING_get0_data(g->d.iPAddress), ASN1_STRING_length(g->d.iPAddress));
  }
  GENERAL_NAMES_free(sans);
  if (rc == 0 && id->ndns + id->nips == 0) { /* no subjectAltName: the common name */
    char cn[256];
    int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof(cn));
    if (n > 0)
      rc = add_dns(id, cn, (size_t)n);
  }
  return rc;
}

/* Writes `key` as PEM to a new file only its owner can read (0600). */
static int write_key(const char *path, EVP_PKEY *key) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return -1;
  fchmod(fd, 0600);
  FILE *f = fdopen(fd, "w");
  if (!f) {
    close(fd);
    return -1;
  }
  int ok = PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) == 1;
  return fclose(f) == 0 && ok ? 0 : -1;
}

static int write_cert(const char *path, X509 *x) {
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  int ok = PEM_write_X509(f, x) == 1;
  return fclose(f) == 0 && ok ? 0 : -1;
}

/* Adds extension `nid` with value `v` (OpenSSL's config syntax). */
static int add_ext(X509 *x, X509 *issuer, int nid, const char *v) {
  X509V3_CTX c;
  X509V3_set_ctx_nodb(&c);
  X509V3_set_ctx(&c, issuer, x, NULL, NULL, 0);
  X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &c, nid, v);
  if (!e)
    return -1;
  int ok = X509_add_ext(x, e, -1);
  X509_EXTENSION_free(e);
  return ok ? 0 : -1;
}

/* A certificate for `key` named `cn`, signed by issuer (NULL: self-signed
 * with `key`), valid `days` days from an hour ago. */
static X509 *make_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key, int days,
                       int ca) {
  X509 *x = X509_new();
  if (!x)
    return NULL;
  unsigned char serial[16];
  RAND_bytes(serial, sizeof(serial));
  serial[0] &= 0x7f;
  BIGNUM *bn = BN_bin2bn(serial, sizeof(serial), NULL);
  X509_set_version(x, 2);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), (long)days * 86400);
  X509_set_pubkey(x, key);
  X509_NAME *name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"httpstatus", -1, -1,
                             0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
  X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name);
  X509 *iss = issuer ? issuer : x;
  int bad = 0;
  if (ca)
    bad |= add_ext(x, iss, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") |
           add_ext(x, iss, NID_key_usage, "critical,keyCertSign,cRLSign") |
           add_ext(x, iss, NID_subject_key_identifier, "hash");
  else
    bad |= add_ext(x, iss, NID_basic_constraints, "critical,CA:FALSE") |
           add_ext(x, iss, NID_key_usage, "critical,digitalSignature") |
           add_ext(x, iss, NID_ext_key_usage, "serverAuth") |
           add_ext(x, iss, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1") |
           add_ext(x, iss, NID_authority_key_identifier, "keyid:always");
  if (bad || !X509_sign(x, issuer_key ? issuer_key : key, EVP_sha256())) {
    X509_free(x);
    return NULL;
  }
  return x;
}

/* mkdir -p with mode 0700 for the directories we create. */
static int make_dirs(const char *dir) {
  char tmp[1024];
  snprintf(tmp, sizeof(tmp), "%s", dir);
  for (char *p = tmp + 1; *p; p++)
    if (*p == '/') {
      *p = 0;
      if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
        return -1;
      *p = '/';
    }
  return mkdir(tmp, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

int hs__tls_local_ca(const char *dir, char *cert, char *key, char *ca, size_t cap, FILE *err) {
  char ca_key[1200];
  snprintf(cert, cap, "%s/localhost.pem", dir);
  snprintf(key, cap, "%s/localhost-key.pem", dir);
  snprintf(ca, cap, "%s/ca.pem", dir);
  snprintf(ca_key, sizeof(ca_key), "%s/ca-key.pem", dir);
  if (access(cert, R_OK) == 0 && access(key, R_OK) == 0 && access(ca, R_OK) == 0)
    return 0; /* made on an earlier run: reused */
  if (make_dirs(dir) != 0) {
    fprintf(err, "httpstatus serve: cannot create %s: %s\n", dir, strerror(errno));
    return -1;
  }
  EVP_PKEY *cak = EVP_EC_gen("P-256"), *k = EVP_EC_gen("P-256");
  X509 *cax = cak ? make_cert(cak, "httpstatus local CA", NULL, NULL, 3650, 1) : NULL;
  X509 *x = cax && k ? make_cert(k, "localhost", cax, cak, 825, 0) : NULL;
  int rc = x && write_key(ca_key, cak) == 0 && write_cert(ca, cax) == 0 && write_key(key, k) == 0 &&
                   write_cert(cert, x) == 0
               ? 0
               : -1;
  if (rc)
    fprintf(err, "httpstatus serve: cannot create the local CA and certificate in %s\n", dir);
  else
    fprintf(err, "httpstatus serve: created a local CA (%s) and a certificate for localhost\n", ca);
  X509_free(x);
  X509_free(cax);
  EVP_PKEY_free(k);
  EVP_PKEY_free(cak);
  return rc;
}
