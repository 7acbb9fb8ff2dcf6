/* Native reference for the flight framing chain (tests/bench/framing.bench.ts): the same work
 * as assembly/lib/frame.ts frameChainRun — space packets into fixed-length TM frames with FECF,
 * Reed-Solomon (255,223) I=5 in the dual basis through Debian libfec's encode_rs_ccsds,
 * pseudo-randomizer and ASM — written here for the benchmark, compiled with gcc -O2.
 * Usage: framing-chain PKT_LEN N  → prints Mbit/s of CADU output. */
#include <fec.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../../c/ccsds-pn.h"

#define FRAME 1115
#define DEPTH 5
#define CADU (4 + FRAME + 32 * DEPTH)

static uint16_t crc_table[256];
static uint8_t pn[255 * 6];

static void tables(void) {
  for (int i = 0; i < 256; i++) {
    uint16_t c = (uint16_t)(i << 8);
    for (int k = 0; k < 8; k++) c = (c & 0x8000) ? (uint16_t)((c << 1) ^ 0x1021) : (uint16_t)(c << 1);
    crc_table[i] = c;
  }
  ccsds_pn(pn, (int)sizeof pn);
}

static uint16_t crc16(const uint8_t *p, size_t n) {
  uint16_t c = 0xffff;
  for (size_t i = 0; i < n; i++) c = (uint16_t)((c << 8) ^ crc_table[((c >> 8) ^ p[i]) & 0xff]);
  return c;
}

static void emit(uint8_t *frame, uint8_t *out, uint8_t mc) {
  frame[0] = 0x0a; frame[1] = 0xb2; frame[2] = mc; frame[3] = mc; frame[4] = 0x18; frame[5] = 0x00;
  uint16_t c = crc16(frame, FRAME - 2);
  frame[FRAME - 2] = (uint8_t)(c >> 8); frame[FRAME - 1] = (uint8_t)c;
  out[0] = 0x1a; out[1] = 0xcf; out[2] = 0xfc; out[3] = 0x1d;
  uint8_t *cb = out + 4;
  memcpy(cb, frame, FRAME);
  uint8_t cw[255], par[32];
  for (int c2 = 0; c2 < DEPTH; c2++) {
    for (int j = 0; j < 223; j++) cw[j] = frame[j * DEPTH + c2];
    encode_rs_ccsds(cw, par, 0);
    for (int k = 0; k < 32; k++) cb[FRAME + k * DEPTH + c2] = par[k];
  }
  for (int i = 0; i < FRAME + 32 * DEPTH; i++) cb[i] ^= pn[i % 255];
}

int main(int argc, char **argv) {
  int pktLen = atoi(argv[1]), n = atoi(argv[2]);
  tables();
  uint8_t *pkt = malloc(pktLen), frame[FRAME], *out = malloc(CADU * 64);
  for (int i = 0; i < pktLen; i++) pkt[i] = (uint8_t)(i * 7);
  double best = 0;
  for (int rep = 0; rep < 5; rep++) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long cadus = 0; int fill = 6, o = 0; uint8_t mc = 0;
    for (int i = 0; i < n; i++) {
      pkt[0] = 0x09; pkt[1] = 0x00; pkt[2] = (uint8_t)(0xc0 | ((i >> 8) & 0x3f)); pkt[3] = (uint8_t)i;
      pkt[4] = (uint8_t)((pktLen - 7) >> 8); pkt[5] = (uint8_t)(pktLen - 7);
      int rest = pktLen, p = 0;
      while (rest > 0) {
        int k = FRAME - 2 - fill; if (k > rest) k = rest;
        memcpy(frame + fill, pkt + p, k); fill += k; p += k; rest -= k;
        if (fill == FRAME - 2) { emit(frame, out + o * CADU, mc++); cadus++; o = (o + 1) % 64; fill = 6; }
      }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    double mbit = cadus * CADU * 8.0 / 1e6 / s;
    if (mbit > best) best = mbit;
  }
  printf("%.2f\n", best);
  return 0;
}
