/* Test helper for tests/interop/libfec-ground.test.ts and tests/bench/ground.bench.ts:
 * Reed-Solomon codeblocks encoded by Debian's libfec, the oracle for the ground decoder.
 *   ground-rs-encode E I K N CADU < frames > codeblocks
 * reads N frames of I*K octets; for each writes the codeblock (frame, then the 2E parity
 * octets of the I codewords interleaved; codeword j = frame octets j, j+I, ...), dual basis.
 * E=16: encode_rs_ccsds (virtual fill 223-K). E=8: the generic codec init_rs_char(8, 0x187,
 * fcr 120, prim 11, 16 roots, pad 239-K) with libfec's Tal1tab/Taltab basis conversion.
 * CADU=1 also prefixes the ASM and applies the CCSDS pseudo-randomizer (written here from
 * h(x) = x^8+x^7+x^5+x^3+1). */
#include <fec.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../c/ccsds-pn.h"

int main(int argc, char **argv) {
  if (argc != 6) { fprintf(stderr, "usage: ground-rs-encode E I K N CADU\n"); return 2; }
  int E = atoi(argv[1]), I = atoi(argv[2]), K = atoi(argv[3]), cadu = atoi(argv[5]);
  long N = atol(argv[4]);
  int nroots = 2 * E;
  if ((E != 16 && E != 8) || I < 1 || I > 8 || K < 1 || K > 255 - nroots) { fprintf(stderr, "bad args\n"); return 2; }
  void *rs8 = NULL;
  if (E == 8) rs8 = init_rs_char(8, 0x187, 120, 11, 16, 239 - K);
  int cbLen = I * (K + nroots);
  unsigned char *frame = malloc(I * K), *cb = malloc(cbLen), pn[255];
  unsigned char data[255], par[32];
  ccsds_pn(pn, 255);
  static const unsigned char asm_[4] = {0x1a, 0xcf, 0xfc, 0x1d};
  for (long n = 0; n < N; n++) {
    if (fread(frame, 1, I * K, stdin) != (size_t)(I * K)) { fprintf(stderr, "short input\n"); return 1; }
    memcpy(cb, frame, I * K);
    for (int j = 0; j < I; j++) {
      for (int i = 0; i < K; i++) data[i] = frame[i * I + j];
      if (E == 16) encode_rs_ccsds(data, par, 223 - K);
      else {
        for (int i = 0; i < K; i++) data[i] = Tal1tab[data[i]];
        encode_rs_char(rs8, data, par);
        for (int i = 0; i < nroots; i++) par[i] = Taltab[par[i]];
      }
      for (int i = 0; i < nroots; i++) cb[(K + i) * I + j] = par[i];
    }
    if (cadu) {
      for (int i = 0; i < cbLen; i++) cb[i] ^= pn[i % 255];
      fwrite(asm_, 1, 4, stdout);
    }
    fwrite(cb, 1, cbLen, stdout);
  }
  if (rs8) free_rs_char(rs8);
  return 0;
}
