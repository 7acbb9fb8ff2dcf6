// The one table of flight status codes (DESIGN §4). A status >= 0 is a count; < 0 is one of
// these. Each module owns a block of a hundred; add new codes only inside your module's block.
// "Need more input" and "need more output space" are ordinary outcomes, not errors.

export const OK: i32 = 0;

// -1 .. -99: generic
export const E_NULL: i32 = -1;            // a required pointer was null
export const E_BAD_LENGTH: i32 = -2;      // a length is out of range for the call
export const E_OUT_FULL: i32 = -3;        // the caller's output buffer is too small (not an error: flush and retry)
export const E_NEED_INPUT: i32 = -4;      // more input is needed (not an error)

// -100 .. -199: sync/ (CCSDS 131.0-B-5 channel coding)
export const E_RS_BAD_E: i32 = -100;      // E is neither 8 nor 16
export const E_RS_BAD_DEPTH: i32 = -101;  // interleaving depth not in {1,2,3,4,5,8}
export const E_RS_BAD_FRAME_LEN: i32 = -102; // frame length not a multiple of I, or longer than I*(255-2E), or zero
export const E_RS_OVERLAP: i32 = -103;    // the input frame and the output (parity or CADU) buffers overlap

// -200 .. -299: packet/ and frame/ (CCSDS 133.0-B-2, 132.0-B-3, 732.0-B-4)
export const E_PKT_BAD_APID: i32 = -200;
export const E_PKT_TOO_LONG: i32 = -201;
export const E_FRAME_BAD_CONFIG: i32 = -210;

// -300 .. -399: payload bus records
export const E_BUS_BAD_SYNC: i32 = -300;
export const E_BUS_BAD_CRC: i32 = -301;
export const E_BUS_BAD_LENGTH: i32 = -302;
export const E_BUS_BAD_TYPE: i32 = -303;
export const E_BUS_BAD_LINE: i32 = -304;  // line header does not match the configuration
export const E_BUS_LINE_JUMP: i32 = -305; // line counter jumped backwards or too far
export const E_BUS_TIME_JUMP: i32 = -306; // time tag went backwards or too far
export const E_BUS_NO_CONFIG: i32 = -307; // a line record before any valid configuration

// -400 .. -499: configuration table
export const E_CFG_BAD_CRC: i32 = -400;
export const E_CFG_BAD_VERSION: i32 = -401;
export const E_CFG_BAD_VALUE: i32 = -402; // control block names the field
export const E_CFG_NO_MEMORY: i32 = -403; // the configuration needs more RAM than the profile allows

// -500 .. -599: compress/aec121 (CCSDS 121.0-B-3)
export const E_AEC_BAD_PARAM: i32 = -500;
export const E_AEC_BAD_BITS: i32 = -501;       // bits per sample n not in 1..32 (121.0-B-3 §5.1.1)
export const E_AEC_BAD_BLOCK: i32 = -502;      // block size J not 8, 16, 32 or 64 (121.0-B-3 §3.1.1)
export const E_AEC_BAD_RSI: i32 = -503;        // reference sample interval not in 1..4096 blocks (121.0-B-3 §4.3)
export const E_AEC_BAD_RESTRICTED: i32 = -504; // restricted code option set asked for n > 4 (121.0-B-3 §5.1.2)
export const E_AEC_BAD_FLAGS: i32 = -505;      // unknown option flag bits
export const E_AEC_BAD_STATE: i32 = -506;      // state not initialised, or sample width call does not match n

// -600 .. -699: compress/hyper123 (CCSDS 123.0-B-2)
export const E_HYP_BAD_PARAM: i32 = -600;
export const E_HYP_BAD_SAMPLE: i32 = -601;   // an input sample lies outside [s_min, s_max] for D and the sample type (123.0-B-2 §4.2)
export const E_HYP_BAD_STATE: i32 = -602;    // state not initialised, all lines already pushed, or a line pushed before the last was drained
export const E_HYP_NO_MEMORY: i32 = -603;    // the state buffer is smaller than hyp123StateLen() asked for

// -700 .. -799: screen/
export const E_SCR_BAD_PARAM: i32 = -700;
export const E_SCR_NO_INIT: i32 = -701;   // screenInit has not succeeded
export const E_SCR_NIGHT: i32 = -702;     // sun below the minimum elevation: lines kept unjudged
export const E_SCR_BAD_CAL: i32 = -703;   // calibration or Earth-Sun distance zero, negative, not finite or absurd: lines kept unjudged
