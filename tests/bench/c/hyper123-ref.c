/* Native reference for tests/bench/hyper123.bench.ts: CCSDS 123.0-B-2 lossless compression
 * (adaptive predictor, any local sum, full or reduced, sample-adaptive coder, BSQ output),
 * written for this bench from the standard. Prints "<Msamples/s> <body bytes> <fnv1a of body>".
 *   hyper123-ref FILE NX NY NZ D P REDUCED LSUM OMEGA R TINC_LOG NU_MIN NU_MAX UMAX GSTAR G0 K REPS */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int nx, ny, nz, D, P, reduced, lsum, omega, R, tincl, numin, numax, umax, gstar, g0, K;

static size_t encode(const uint16_t *s, uint8_t *out) {
  const int smax = (1 << D) - 1, smid = 1 << (D - 1), C = P + 3;
  int32_t *rep = malloc(sizeof(int32_t) * nx * ny * nz); /* s'' = s (lossless, φ = 0) */
  int32_t *dl = malloc(sizeof(int32_t) * nx * ny * nz);  /* central local differences */
  uint16_t *delta = malloc(sizeof(uint16_t) * nx * ny * nz);
  const int nt = nx * ny;
  for (int z = 0; z < nz; z++) {
    const int pz = z < P ? z : P, off = reduced ? 0 : 3;
    int32_t w[19] = {0};
    int v = (7 << omega) >> 3;
    for (int i = 0; i < pz; i++) { w[off + i] = v; v >>= 3; }
    const uint16_t *sz = s + (size_t)z * nt;
    int32_t *rz = rep + (size_t)z * nt, *dz = dl + (size_t)z * nt;
    for (int t = 0; t < nt; t++) {
      const int x = t % nx, y = t / nx, sv = sz[t];
      rz[t] = sv;
      int stl;
      int64_t hr = 0;
      int32_t u[19];
      if (t == 0) { stl = pz > 0 ? 2 * rep[(size_t)(z - 1) * nt] : 2 * smid; dz[0] = 0; }
      else {
        int sig;
        if (y > 0) {
          const int n0 = rz[t - nx];
          if (lsum >= 2) sig = 4 * n0;
          else if (x == 0) sig = 2 * (n0 + rz[t - nx + 1]);
          else if (x == nx - 1) sig = lsum == 0 ? rz[t - 1] + rz[t - nx - 1] + 2 * n0 : 2 * (rz[t - nx - 1] + n0);
          else sig = lsum == 0 ? rz[t - 1] + rz[t - nx - 1] + n0 + rz[t - nx + 1] : rz[t - nx - 1] + 2 * n0 + rz[t - nx + 1];
        } else sig = (lsum & 1) == 0 ? 4 * rz[t - 1] : (z > 0 ? 4 * rep[(size_t)(z - 1) * nt + t - 1] : 4 * smid);
        if (!reduced) {
          if (y > 0) {
            u[0] = 4 * rz[t - nx] - sig;
            u[1] = x > 0 ? 4 * rz[t - 1] - sig : u[0];
            u[2] = x > 0 ? 4 * rz[t - nx - 1] - sig : u[0];
          } else u[0] = u[1] = u[2] = 0;
        }
        for (int i = 0; i < pz; i++) u[off + i] = dl[(size_t)(z - 1 - i) * nt + t];
        int64_t dh = 0;
        for (int i = 0; i < off + pz; i++) dh += (int64_t)w[i] * u[i];
        int64_t vv = dh + ((int64_t)(sig - 4 * smid) << omega);
        if (R < 64) vv = (int64_t)((uint64_t)vv << (64 - R)) >> (64 - R);
        hr = vv + ((int64_t)smid << (omega + 2)) + ((int64_t)1 << (omega + 1));
        const int64_t hi = ((int64_t)smax << (omega + 2)) + ((int64_t)1 << (omega + 1));
        if (hr < 0) hr = 0; if (hr > hi) hr = hi;
        stl = (int)(hr >> (omega + 1));
        dz[t] = 4 * sv - sig;
        const int e = 2 * sv - stl;
        int rho = numin + ((t - nx) >> tincl);
        rho = (rho < numin ? numin : rho > numax ? numax : rho) + D - omega;
        const int wmax = (1 << (omega + 2)) - 1, wmin = -(1 << (omega + 2));
        for (int i = 0; i < off + pz; i++) {
          const int a = e >= 0 ? u[i] : -u[i];
          int nw = w[i] + (rho >= 0 ? ((a + (1 << rho)) >> (rho + 1)) : (((a << -rho) + 1) >> 1));
          w[i] = nw < wmin ? wmin : nw > wmax ? wmax : nw;
        }
      }
      const int sh = stl >> 1, q = sv - sh;
      const int th = sh < smax - sh ? sh : smax - sh, aq = q < 0 ? -q : q;
      delta[(size_t)z * nt + t] = aq > th ? aq + th : (((stl & 1) ? -q : q) >= 0 ? 2 * aq : 2 * aq - 1);
    }
  }
  /* sample-adaptive coder, BSQ */
  uint64_t acc = 0; int n = 0; size_t o = 0;
#define PUT(val, len) do { acc = (acc << (len)) | (uint64_t)(val); n += (len); while (n >= 8) { n -= 8; out[o++] = (uint8_t)(acc >> n); } } while (0)
  const int kp = K <= 30 - D ? K : 2 * K + D - 30;
  for (int z = 0; z < nz; z++) {
    int gam = 1 << g0, sig = (int)(((3LL << (kp + 6)) - 49) * gam >> 7);
    for (int t = 0; t < nt; t++) {
      const int d = delta[(size_t)z * nt + t];
      if (t == 0) { PUT(d, D); continue; }
      const int lim = sig + ((49 * gam) >> 7);
      int k = 0;
      while (k < D - 2 && ((int64_t)gam << (k + 1)) <= lim) k++;
      const int uu = d >> k;
      if (uu < umax) { PUT(0, uu); PUT(((1u << k) | (d & ((1u << k) - 1))), k + 1); }
      else { PUT(0, umax); PUT(d, D); }
      if (gam < (1 << gstar) - 1) { sig += d; gam++; } else { sig = (sig + d + 1) >> 1; gam = (gam + 1) >> 1; }
    }
  }
  if (n > 0) out[o++] = (uint8_t)(acc << (8 - n));
  free(rep); free(dl); free(delta);
  return o;
}

int main(int argc, char **argv) {
  if (argc != 19) { fprintf(stderr, "usage\n"); return 2; }
  int *a[] = {&nx, &ny, &nz, &D, &P, &reduced, &lsum, &omega, &R, &tincl, &numin, &numax, &umax, &gstar, &g0, &K};
  for (int i = 0; i < 16; i++) *a[i] = atoi(argv[2 + i]);
  const int reps = atoi(argv[18]);
  const size_t N = (size_t)nx * ny * nz;
  uint16_t *s = malloc(N * 2);
  FILE *f = fopen(argv[1], "rb");
  if (!f || fread(s, 2, N, f) != N) { fprintf(stderr, "read\n"); return 1; }
  fclose(f);
  uint8_t *out = malloc(N * 6 + 64);
  double best = 1e30; size_t len = 0;
  for (int r = 0; r < reps; r++) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    len = encode(s, out);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    const double dt = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
    if (dt < best) best = dt;
  }
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < len; i++) { h ^= out[i]; h *= 16777619u; }
  printf("%.3f %zu %u\n", N / best / 1e6, len, h);
  return 0;
}
