// Ed25519 signature verification (RFC 8032 §5.1.7), written from the RFC for the emulated
// bootloader: a bootloader has no OpenSSL, so the check it makes is this one, not node:crypto's.
// node:crypto is used here only for SHA-512 (FIPS 180-4), the hash the scheme is defined over.
// Signing is node:crypto's (host/boot/keys.ts): the mission key never meets this code.
//
// Arithmetic in GF(2^255 − 19) with BigInt; points in extended twisted-Edwards coordinates
// (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z (RFC 8032 §5.1.4). Verification is cofactorless:
// encode([S]B − [k]A) must equal R octet for octet (as OpenSSL does; RFC 8032 §5.1.7 allows the
// cofactored check, which accepts a superset). Refused: a signature or key of the wrong length,
// S ≥ L (malleability), a non-canonical or off-curve point encoding of A or R, and a key A of
// small order ([8]A the identity: it would let anyone sign). Not constant
// time: it verifies public data only.
import { createHash } from "node:crypto";

const P = 2n ** 255n - 19n;
/** The order of the base point, 2^252 + 27742317777372353535851937790883648493. */
export const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const D = mod(-121665n * inv(121666n));
const SQRT_M1 = pow(2n, (P - 1n) / 4n);

function mod(a: bigint, m = P): bigint { const r = a % m; return r < 0n ? r + m : r; }
function pow(b: bigint, e: bigint): bigint {
  let r = 1n; b = mod(b);
  while (e > 0n) { if (e & 1n) r = (r * b) % P; b = (b * b) % P; e >>= 1n; }
  return r;
}
function inv(a: bigint): bigint { return pow(a, P - 2n); }

type Point = [bigint, bigint, bigint, bigint];
const ZERO: Point = [0n, 1n, 1n, 0n];

function add(p: Point, q: Point): Point {
  const A = mod((p[1] - p[0]) * (q[1] - q[0])), B = mod((p[1] + p[0]) * (q[1] + q[0]));
  const C = mod(2n * p[3] * q[3] * D), Dd = mod(2n * p[2] * q[2]);
  const E = B - A, F = Dd - C, G = Dd + C, H = B + A;
  return [mod(E * F), mod(G * H), mod(F * G), mod(E * H)];
}
function mul(s: bigint, p: Point): Point {
  let q = ZERO;
  while (s > 0n) { if (s & 1n) q = add(q, p); p = add(p, p); s >>= 1n; }
  return q;
}
function neg(p: Point): Point { return [mod(-p[0]), p[1], p[2], mod(-p[3])]; }

/** [8]A is the identity: a key of small order, under which any [r]B, r verifies for every message. */
function isSmallOrder(p: Point): boolean {
  const q = mul(8n, p);
  return mod(q[0]) === 0n && mod(q[1] - q[2]) === 0n;
}

function leToBig(b: Uint8Array): bigint {
  let x = 0n;
  for (let i = b.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[i]);
  return x;
}

/** RFC 8032 §5.1.3: null for a non-canonical y, an x that does not exist, or x = 0 with the sign bit set. */
function decodePoint(b: Uint8Array): Point | null {
  if (b.length !== 32) return null;
  const c = Uint8Array.from(b);
  const sign = c[31] >> 7;
  c[31] &= 0x7f;
  const y = leToBig(c);
  if (y >= P) return null;
  const u = mod(y * y - 1n), v = mod(D * y * y + 1n);
  let x = mod(u * pow(v, 3n) * pow(u * pow(v, 7n), (P - 5n) / 8n));
  const vx2 = mod(v * x * x);
  if (vx2 === mod(-u)) x = mod(x * SQRT_M1);
  else if (vx2 !== u) return null;
  if (x === 0n && sign === 1) return null;
  if (Number(x & 1n) !== sign) x = P - x;
  return [x, y, 1n, mod(x * y)];
}

function encodePoint(p: Point): Uint8Array {
  const zi = inv(p[2]);
  const x = mod(p[0] * zi), y = mod(p[1] * zi);
  const out = new Uint8Array(32);
  let v = y;
  for (let i = 0; i < 32; i++) { out[i] = Number(v & 0xffn); v >>= 8n; }
  out[31] |= Number(x & 1n) << 7;
  return out;
}

const BASE: Point = (() => {
  const y = mod(4n * inv(5n));
  const b = new Uint8Array(32);
  let v = y;
  for (let i = 0; i < 32; i++) { b[i] = Number(v & 0xffn); v >>= 8n; }
  return decodePoint(b)!; // x even (sign 0): the RFC's B
})();

/** True when `signature` (64 octets) is a valid Ed25519 signature of `message` by `publicKey` (32 octets). */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const A = decodePoint(publicKey);
  if (!A || isSmallOrder(A)) return false;
  const Rb = signature.subarray(0, 32);
  if (!decodePoint(Rb)) return false;
  const S = leToBig(signature.subarray(32, 64));
  if (S >= L) return false;
  const k = mod(leToBig(createHash("sha512").update(Rb).update(publicKey).update(message).digest()), L);
  const Rc = encodePoint(add(mul(S, BASE), neg(mul(k, A))));
  let diff = 0;
  for (let i = 0; i < 32; i++) diff |= Rc[i] ^ Rb[i];
  return diff === 0;
}
