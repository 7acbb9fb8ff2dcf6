/* The CCSDS 131.0-B pseudo-randomizer sequence for the native reference harnesses (our own C):
 * h(x) = x^8 + x^7 + x^5 + x^3 + 1, register preset to all ones, MSB-first output bytes,
 * period 255 bytes. Fills n bytes (n may exceed 255: the sequence repeats). */
#ifndef TENGRI_CCSDS_PN_H
#define TENGRI_CCSDS_PN_H
static void ccsds_pn(unsigned char *pn, int n) {
  unsigned reg = 0xff;
  for (int i = 0; i < n; i++) {
    if (i >= 255) { pn[i] = pn[i - 255]; continue; }
    unsigned char byte = 0;
    for (int k = 0; k < 8; k++) {
      unsigned b0 = (reg >> 7) & 1, nb = ((reg >> 0) ^ (reg >> 2) ^ (reg >> 4) ^ (reg >> 7)) & 1;
      byte = (unsigned char)((byte << 1) | b0);
      reg = ((reg << 1) | nb) & 0xff;
    }
    pn[i] = byte;
  }
}
#endif
