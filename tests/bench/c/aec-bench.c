/* Bench reference for tests/bench/aec121.bench.ts: libaec (Debian libaec-dev) encoding and
 * decoding in memory, no file I/O inside the timed loop.
 * usage: aec-bench FILE BITS BLOCK RSI REPEAT   (FILE: u16 little-endian samples)
 * prints: encoded_bytes enc_seconds dec_seconds (best of REPEAT) */
#include <libaec.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  if (argc != 6) { fprintf(stderr, "usage: aec-bench FILE BITS BLOCK RSI REPEAT\n"); return 2; }
  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror(argv[1]); return 1; }
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *in = malloc((size_t)len);
  if (fread(in, 1, (size_t)len, f) != (size_t)len) { perror("read"); return 1; }
  fclose(f);
  size_t cap = (size_t)len * 2 + 4096;
  unsigned char *out = malloc(cap);
  unsigned char *back = malloc((size_t)len + 4096);
  int repeat = atoi(argv[5]);
  double bestEnc = 1e9, bestDec = 1e9;
  size_t encLen = 0;
  for (int r = 0; r < repeat; r++) {
    struct aec_stream s;
    memset(&s, 0, sizeof s);
    s.bits_per_sample = (unsigned)atoi(argv[2]);
    s.block_size = (unsigned)atoi(argv[3]);
    s.rsi = (unsigned)atoi(argv[4]);
    s.flags = AEC_DATA_PREPROCESS;
    s.next_in = in; s.avail_in = (size_t)len;
    s.next_out = out; s.avail_out = cap;
    double t0 = now();
    int st = aec_buffer_encode(&s);
    double t1 = now();
    if (st != AEC_OK) { fprintf(stderr, "encode failed %d\n", st); return 1; }
    encLen = s.total_out;
    if (t1 - t0 < bestEnc) bestEnc = t1 - t0;
    memset(&s, 0, sizeof s);
    s.bits_per_sample = (unsigned)atoi(argv[2]);
    s.block_size = (unsigned)atoi(argv[3]);
    s.rsi = (unsigned)atoi(argv[4]);
    s.flags = AEC_DATA_PREPROCESS;
    s.next_in = out; s.avail_in = encLen;
    s.next_out = back; s.avail_out = (size_t)len;
    t0 = now();
    st = aec_buffer_decode(&s);
    t1 = now();
    if (st != AEC_OK) { fprintf(stderr, "decode failed %d\n", st); return 1; }
    if (memcmp(back, in, (size_t)len) != 0) { fprintf(stderr, "round trip mismatch\n"); return 1; }
    if (t1 - t0 < bestDec) bestDec = t1 - t0;
  }
  printf("%zu %.9f %.9f\n", encLen, bestEnc, bestDec);
  return 0;
}
