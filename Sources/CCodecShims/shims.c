#include "CCodecShims.h"
#include <opusenc.h>

int bodo_ope_set_serialno(OggOpusEnc *enc, int serial) { return ope_encoder_ctl(enc, OPE_SET_SERIALNO(serial)); }
int bodo_ope_set_bitrate(OggOpusEnc *enc, int bitsPerSecond) { return ope_encoder_ctl(enc, OPUS_SET_BITRATE(bitsPerSecond)); }
int bodo_ope_set_signal_voice(OggOpusEnc *enc) { return ope_encoder_ctl(enc, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE)); }
