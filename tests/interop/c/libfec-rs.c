/*
 * Test helper for tests/interop/libfec-rs.test.ts: CCSDS Reed-Solomon through Debian's libfec.
 * Built at test time with gcc (-lfec). Reads stdin, writes stdout, binary.
 *
 *   libfec-rs enc E I FRAMELEN N   N frames in  -> N × 2E·I interleaved check symbols out
 *   libfec-rs dec E I FRAMELEN N   N codeblocks (frame ‖ check symbols) in
 *                                  -> per codeblock: corrected codeblock, then I int32 (LE)
 *                                     results of the decoder (symbols corrected, or -1)
 *
 * E = 16: encode_rs_ccsds / decode_rs_ccsds (dual basis inside libfec).
 * E = 8: the generic codec init_rs_char(8, 0x187, 120, 11, 16, pad) in the conventional
 * basis, with libfec's Tal1tab (dual -> conventional) on the way in and Taltab on the way out.
 * Frame byte j belongs to codeword j mod I; check byte k of codeword c is at k*I + c.
 */
#include <fec.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static void read_all(unsigned char *buf, size_t len) {
  size_t got = 0;
  while (got < len) {
    size_t r = fread(buf + got, 1, len - got, stdin);
    if (r == 0) { fprintf(stderr, "short input\n"); exit(2); }
    got += r;
  }
}

int main(int argc, char **argv) {
  if (argc != 6) { fprintf(stderr, "usage: %s enc|dec E I FRAMELEN N\n", argv[0]); return 2; }
  int dec = strcmp(argv[1], "dec") == 0;
  int e = atoi(argv[2]), depth = atoi(argv[3]), frame_len = atoi(argv[4]), n = atoi(argv[5]);
  int nroots = 2 * e, k = frame_len / depth, pad = 255 - nroots - k;
  if ((e != 16 && e != 8) || depth < 1 || frame_len % depth || pad < 0) { fprintf(stderr, "bad parameters\n"); return 2; }
  void *rs8 = e == 8 ? init_rs_char(8, 0x187, 120, 11, 16, pad) : NULL;
  if (e == 8 && !rs8) { fprintf(stderr, "init_rs_char failed\n"); return 2; }
  size_t block = (size_t)frame_len + (size_t)nroots * depth;
  unsigned char *in = malloc(block), cw[255], par[32];
  for (int f = 0; f < n; f++) {
    read_all(in, dec ? block : (size_t)frame_len);
    int32_t results[8];
    for (int c = 0; c < depth; c++) {
      for (int j = 0; j < k; j++) cw[j] = in[j * depth + c];
      if (dec) for (int j = 0; j < nroots; j++) cw[k + j] = in[frame_len + j * depth + c];
      if (e == 16) {
        if (dec) results[c] = decode_rs_ccsds(cw, NULL, 0, pad);
        else encode_rs_ccsds(cw, cw + k, pad);
      } else {
        for (int j = 0; j < k + (dec ? nroots : 0); j++) cw[j] = Tal1tab[cw[j]];
        if (dec) results[c] = decode_rs_char(rs8, cw, NULL, 0);
        else { encode_rs_char(rs8, cw, par); memcpy(cw + k, par, nroots); }
        for (int j = 0; j < k + nroots; j++) cw[j] = Taltab[cw[j]];
      }
      if (dec) for (int j = 0; j < k; j++) in[j * depth + c] = cw[j];
      for (int j = 0; j < nroots; j++) in[frame_len + j * depth + c] = cw[k + j];
    }
    if (dec) { fwrite(in, 1, block, stdout); fwrite(results, 4, depth, stdout); }
    else fwrite(in + frame_len, 1, (size_t)nroots * depth, stdout);
  }
  free(in);
  if (rs8) free_rs_char(rs8);
  return 0;
}
