// GENERATED from host/contract/contract.json by host/contract/generate.ts — do not edit; run `npm run contract`.

// The one table of flight status codes (DESIGN §4). A status >= 0 is a count; < 0 is one of
// these, grouped by module. "Need more input" and "need more output space" are ordinary outcomes.

// generic
export const OK: i32 = 0; // success
export const E_NULL: i32 = -1; // a required pointer was null
export const E_BAD_LENGTH: i32 = -2; // a length is out of range for the call
export const E_OUT_FULL: i32 = -3; // the caller's output buffer is too small (not an error: flush and retry)
export const E_NEED_INPUT: i32 = -4; // more input is needed (not an error)
// sync
export const E_RS_BAD_E: i32 = -100; // Reed-Solomon E is neither 8 nor 16 (131.0-B-5 §4.3)
export const E_RS_BAD_DEPTH: i32 = -101; // interleaving depth not in {1,2,3,4,5,8} (131.0-B-5 §4.3.5)
export const E_RS_BAD_FRAME_LEN: i32 = -102; // frame length not a multiple of I, longer than I·(255−2E), or zero (131.0-B-5 §4.3.8)
export const E_RS_OVERLAP: i32 = -103; // the input frame and the output (parity or CADU) buffers overlap
// packet
export const E_PKT_BAD_APID: i32 = -200; // APID out of range or reserved (133.0-B-2 §4.1.3.3.4)
export const E_PKT_TOO_LONG: i32 = -201; // packet data field longer than 65536 octets (133.0-B-2 §4.1.3.5)
// frame
export const E_FRAME_BAD_CONFIG: i32 = -210; // transfer frame configuration impossible
// bus
export const E_BUS_BAD_SYNC: i32 = -300; // no record sync word where a record should start
export const E_BUS_BAD_CRC: i32 = -301; // record CRC-16 does not match
export const E_BUS_BAD_LENGTH: i32 = -302; // record payload length out of range for its type
export const E_BUS_BAD_TYPE: i32 = -303; // unknown record type or version, or a second configuration
export const E_BUS_BAD_LINE: i32 = -304; // line header does not match the configuration
export const E_BUS_LINE_JUMP: i32 = -305; // line counter repeated, went backwards or jumped too far
export const E_BUS_TIME_JUMP: i32 = -306; // line time tag went backwards
export const E_BUS_NO_CONFIG: i32 = -307; // a record before any valid configuration
export const E_BUS_BAD_CLCW: i32 = -308; // a CLCW record (type 5) whose word is not a CLCW: control word type 1 or CLCW version not 0 (found: the word; counted in rejectedBadType) (232.0-B-4 §4.2.1)
// config
export const E_CFG_BAD_CRC: i32 = -400; // configuration table CRC-16 does not match
export const E_CFG_BAD_VERSION: i32 = -401; // configuration table version not supported
export const E_CFG_BAD_VALUE: i32 = -402; // a configuration field has an impossible value (the control block names the field's offset)
export const E_CFG_NO_MEMORY: i32 = -403; // the configuration needs more RAM than the OBC allows (found: octets needed, expected: octets available)
// aec121
export const E_AEC_BAD_PARAM: i32 = -500; // CCSDS 121 parameter out of range
export const E_AEC_BAD_BITS: i32 = -501; // bits per sample n not in 1..32 (121.0-B-3 §5.1.1)
export const E_AEC_BAD_BLOCK: i32 = -502; // block size J not 8, 16, 32 or 64 (121.0-B-3 §3.1.1)
export const E_AEC_BAD_RSI: i32 = -503; // reference sample interval not in 1..4096 blocks (121.0-B-3 §4.3)
export const E_AEC_BAD_RESTRICTED: i32 = -504; // restricted code option set asked for n > 4 (121.0-B-3 §5.1.2)
export const E_AEC_BAD_FLAGS: i32 = -505; // unknown option flag bits
export const E_AEC_BAD_STATE: i32 = -506; // coder state not initialised, or the sample width does not match n
// hyper123
export const E_HYP_BAD_PARAM: i32 = -600; // CCSDS 123 parameter out of range (123.0-B-2 §3-§5)
export const E_HYP_BAD_SAMPLE: i32 = -601; // an input sample lies outside [s_min, s_max] (123.0-B-2 §4.2)
export const E_HYP_BAD_STATE: i32 = -602; // compressor state not initialised, all lines pushed, or a line pushed before the last was drained
export const E_HYP_NO_MEMORY: i32 = -603; // the state buffer is smaller than the compressor needs
// screen
export const E_SCR_BAD_PARAM: i32 = -700; // cloud-screening parameter out of range or inconsistent
export const E_SCR_NO_INIT: i32 = -701; // the screener was not initialised
export const E_SCR_NIGHT: i32 = -702; // sun below the minimum elevation: lines kept unjudged
export const E_SCR_BAD_CAL: i32 = -703; // calibration or Earth-Sun distance unusable: lines kept unjudged
// ccsds122
export const E_C122_BAD_PARAM: i32 = -1220; // CCSDS 122 parameter out of range (ccsds122LastBadParam names it) (122.0-B-2 §3.2, §4.2)
export const E_C122_BAD_STATE: i32 = -1221; // CCSDS 122 encoder not configured, image already ended, or output not taken before the next call
export const E_C122_NO_MEMORY: i32 = -1222; // the state area is smaller than the CCSDS 122 encoder needs for these parameters
export const E_C122_BAD_SAMPLE: i32 = -1223; // a pixel lies outside the declared bit depth (the line is not taken) (122.0-B-2 §3.2.1)
export const E_C122_TOO_FEW_LINES: i32 = -1224; // the image ended with fewer than 17 lines (122.0-B-2 §3.2.4)
// security
export const E_TC_FRAME: i32 = -800; // TC transfer frame malformed: length, version, frame length field or FECF (the control block says which: field 0 length, 1 version, 2 length field, 3 FECF) (232.0-B-4 §4.1)
export const E_TC_SPI: i32 = -801; // no security association for the frame's SPI (found: the SPI) (355.0-B-2 §3.4.2.2)
export const E_TC_AUTH: i32 = -802; // the frame's MAC does not verify, or no key store was loaded: refused as unauthenticated (355.0-B-2 §3.4.2.4)
export const E_TC_REPLAY: i32 = -803; // anti-replay: ARSN not in (last, last + window] (found: ARSN, expected: the last accepted) (355.0-B-2 §3.4.2.5)
export const E_TC_KEYS: i32 = -804; // key store keys.bin missing or malformed (field: the record; found: the octet offset): every TC is refused as unauthenticated
export const E_TC_STATE: i32 = -805; // sdls-state.bin present but neither copy valid, or its SAs do not match the key store: every TC is refused until the SA state is provisioned again
// flash
export const E_FLASH_NONE: i32 = -810; // no /flash preopen: commanding and uploads are refused
export const E_FLASH_IO: i32 = -811; // a flash file operation failed (found: the WASI errno, field: the file)
// upload
export const E_UPL_STATE: i32 = -820; // upload call out of sequence: no upload open, not completed, or the image is not on trial
export const E_UPL_BOUNDS: i32 = -821; // upload length beyond the slot, a segment beyond the declared total, or an incomplete upload ended (found, expected: octets)
export const E_UPL_ORDER: i32 = -822; // upload segment not at the next expected offset: overlap, repeat, gap or out of order (found: its offset, expected: the next)
export const E_UPL_DIGEST: i32 = -823; // SHA-256 of the written upload differs from the declared one
export const E_BOOT_STATE: i32 = -824; // boot.bin or the running slot's image container missing or invalid (bad magic, format or CRC)
export const E_SELF_TEST: i32 = -825; // the start-up self-test failed (field 1 SHA-256, 2 HMAC-SHA-256, 3 CRC-16): an image on trial exits 73 before its configuration
// pus
export const E_PUS_SHORT: i32 = -850; // a TC packet shorter than its headers and error control, or longer than what is left of the frame
export const E_PUS_LENGTH: i32 = -851; // the packet data length field disagrees with the octets of the packet (133.0-B-2 §4.1.3.5)
export const E_PUS_APID: i32 = -852; // the packet's APID is not the payload's telecommand APID
export const E_PUS_TYPE: i32 = -853; // not a telecommand with a secondary header, or not an unsegmented packet (133.0-B-2 §4.1.3)
export const E_PUS_VERSION: i32 = -854; // packet version or PUS version not supported (packet 0, PUS 2; ECSS-E-ST-70-41C §7.4.4.1)
export const E_PUS_CRC: i32 = -855; // packet error control CRC-16 does not match (ECSS-E-ST-70-41C §7.4.4.1)
export const E_PUS_SERVICE: i32 = -856; // service type not provided by the payload
export const E_PUS_SUBTYPE: i32 = -857; // message subtype not provided by the service
export const E_PUS_DATA: i32 = -858; // application data length or content wrong for the message subtype
export const E_PUS_PARAM_ID: i32 = -859; // parameter id unknown or not settable in flight (found: the id)
export const E_PUS_PARAM_MEMORY: i32 = -860; // the new parameter value needs other buffers than were carved at configuration
export const E_PUS_FUNCTION: i32 = -861; // function id unknown (ST[8])
export const E_PUS_MODE: i32 = -862; // product mode not available: not in the configuration table's modes, so its buffers were not carved at configuration (found: the mode asked for, expected: the modes mask), or a switch is already waiting for its boundary (expected: -1)
export const E_PUS_EVENT: i32 = -863; // event definition id unknown (ST[5])
export const E_PUS_MEMORY_ID: i32 = -864; // memory id unknown (ST[6])
export const E_PUS_FRAME: i32 = -866; // TC transfer frame layout wrong: length, version, VCID, FECF or the security header and trailer (232.0-B-4 §4.1)
export const E_PUS_HK_STRUCT: i32 = -867; // housekeeping structure id unknown (ST[3])
export const E_PUS_DEFERRED: i32 = -868; // a request whose effect waits for a product boundary did not take effect: cancelled by a later start or stop (field 1), the pass ended first (field 2), or too many such requests wait (field 3; found: how many)
