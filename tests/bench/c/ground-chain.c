/* Reference ground chain for tests/bench/ground.bench.ts, built on Debian's libfec:
 *   ground-chain I K REPS < cadus
 * ASM check at the expected place (byte-aligned search on a miss), derandomize (table XOR),
 * de-interleave, decode_rs_ccsds per codeword (E=16, virtual fill 223-K), re-interleave.
 * Prints the best of REPS passes over the in-memory stream: "<seconds> <bytes> <uncorrectable>". */
#include <fec.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../../c/ccsds-pn.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: ground-chain I K REPS < cadus\n"); return 2; }
  int I = atoi(argv[1]), K = atoi(argv[2]), reps = atoi(argv[3]);
  int ncw = K + 32, cbLen = I * ncw, caduLen = 4 + cbLen;
  size_t cap = 1 << 20, len = 0;
  unsigned char *s = malloc(cap);
  for (;;) {
    if (len == cap) s = realloc(s, cap *= 2);
    size_t n = fread(s + len, 1, cap - len, stdin);
    if (!n) break;
    len += n;
  }
  unsigned char pn[255 * 40], *cb = malloc(cbLen), cw[255];
  ccsds_pn(pn, (int)sizeof pn);
  static const unsigned char asm_[4] = {0x1a, 0xcf, 0xfc, 0x1d};
  double best = 1e30;
  long bad = 0;
  volatile unsigned sink = 0;
  for (int r = 0; r < reps; r++) {
    double t0 = now();
    size_t pos = 0;
    bad = 0;
    while (pos + caduLen <= len) {
      if (memcmp(s + pos, asm_, 4) != 0) { pos++; continue; }
      memcpy(cb, s + pos + 4, cbLen);
      for (int i = 0; i < cbLen; i++) cb[i] ^= pn[i];
      for (int j = 0; j < I; j++) {
        for (int i = 0; i < ncw; i++) cw[i] = cb[i * I + j];
        int n = decode_rs_ccsds(cw, NULL, 0, 223 - K);
        if (n < 0) bad++;
        else if (n > 0) for (int i = 0; i < K; i++) cb[i * I + j] = cw[i];
      }
      sink += cb[7];
      pos += caduLen;
    }
    double t = now() - t0;
    if (t < best) best = t;
  }
  printf("%.6f %zu %ld\n", best, len, bad);
  return 0;
}
