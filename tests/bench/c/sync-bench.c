/*
 * Native references for tests/bench/sync.bench.ts, built at bench time with gcc -O2 -lfec.
 *   sync-bench FILE N   FILE holds N frames of 1115 bytes (random); prints one JSON line
 * with MB/s of input data for: libfec encode_rs_ccsds (RS(255,223), I=1 on the first 223
 * bytes of each frame; I=5 on whole 1115-byte frames, deinterleaving and interleaving in C),
 * the generic libfec codec init_rs_char(8,0x187,120,11,16,0) with Tal1tab/Taltab conversion
 * (RS(255,239), I=1), a table-driven byte-at-a-time CRC-16/CCITT-FALSE, and a byte-wise
 * table XOR pseudo-randomizer. Best of 5 timed passes, each at least ~0.2 s.
 */
#include <fec.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#define FRAME 1115
static unsigned char *frames;
static int n;
static unsigned char parity_out[160];
static volatile unsigned sink;
static uint16_t crc_table[256];
static unsigned char rand_seq[255];
static void *rs8;

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

static void rs16_i1(void) {
  for (int f = 0; f < n; f++) { encode_rs_ccsds(frames + (size_t)f * FRAME, parity_out, 0); sink += parity_out[0]; }
}
static void rs16_i5(void) {
  unsigned char cw[223], par[32];
  for (int f = 0; f < n; f++) {
    const unsigned char *fr = frames + (size_t)f * FRAME;
    for (int c = 0; c < 5; c++) {
      for (int j = 0; j < 223; j++) cw[j] = fr[j * 5 + c];
      encode_rs_ccsds(cw, par, 0);
      for (int j = 0; j < 32; j++) parity_out[j * 5 + c] = par[j];
    }
    sink += parity_out[0];
  }
}
static void rs8_i1(void) {
  unsigned char cw[239], par[16];
  for (int f = 0; f < n; f++) {
    const unsigned char *fr = frames + (size_t)f * FRAME;
    for (int j = 0; j < 239; j++) cw[j] = Tal1tab[fr[j]];
    encode_rs_char(rs8, cw, par);
    for (int j = 0; j < 16; j++) parity_out[j] = Taltab[par[j]];
    sink += parity_out[0];
  }
}
static void crc(void) {
  for (int f = 0; f < n; f++) {
    const unsigned char *p = frames + (size_t)f * FRAME;
    uint16_t r = 0xffff;
    for (int i = 0; i < FRAME; i++) r = (uint16_t)(r << 8) ^ crc_table[(r >> 8) ^ p[i]];
    sink += r;
  }
}
static void randomizer(void) {
  for (int f = 0; f < n; f++) {
    unsigned char *p = frames + (size_t)f * FRAME;
    for (int i = 0, k = 0; i < FRAME; i++) { p[i] ^= rand_seq[k]; if (++k == 255) k = 0; }
    sink += p[0];
  }
}

static double measure(void (*fn)(void), double bytes_per_frame) {
  double best = 0;
  for (int rep = 0; rep < 5; rep++) {
    int passes = 0;
    double t0 = now(), t;
    do { fn(); passes++; t = now() - t0; } while (t < 0.2);
    double mbs = bytes_per_frame * n * passes / t / 1e6;
    if (mbs > best) best = mbs;
  }
  return best;
}

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: %s FILE N\n", argv[0]); return 2; }
  n = atoi(argv[2]);
  frames = malloc((size_t)n * FRAME);
  FILE *fp = fopen(argv[1], "rb");
  if (!fp || fread(frames, FRAME, n, fp) != (size_t)n) { fprintf(stderr, "cannot read %s\n", argv[1]); return 2; }
  fclose(fp);
  for (int v = 0; v < 256; v++) {
    uint16_t r = (uint16_t)(v << 8);
    for (int b = 0; b < 8; b++) r = (r & 0x8000) ? (uint16_t)((r << 1) ^ 0x1021) : (uint16_t)(r << 1);
    crc_table[v] = r;
  }
  unsigned reg = 0xff;
  for (int i = 0; i < 255; i++) {
    unsigned byte = 0;
    for (int b = 0; b < 8; b++) {
      unsigned s0 = (reg >> 7) & 1;
      byte = (byte << 1) | s0;
      reg = ((reg << 1) | (s0 ^ ((reg >> 4) & 1) ^ ((reg >> 2) & 1) ^ (reg & 1))) & 0xff;
    }
    rand_seq[i] = (unsigned char)byte;
  }
  rs8 = init_rs_char(8, 0x187, 120, 11, 16, 0);
  double a = measure(rs16_i1, 223), b = measure(rs16_i5, FRAME), c = measure(rs8_i1, 239);
  double d = measure(crc, FRAME), e = measure(randomizer, FRAME);
  printf("{\"rs16i1\":%.3f,\"rs16i5\":%.3f,\"rs8i1\":%.3f,\"crc\":%.3f,\"rand\":%.3f}\n", a, b, c, d, e);
  return 0;
}
