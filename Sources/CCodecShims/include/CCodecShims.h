#pragma once
// libopusenc's settings go through one C-variadic call, ope_encoder_ctl, which Swift cannot
// call; these name each setting bodo uses.
typedef struct OggOpusEnc OggOpusEnc;
int bodo_ope_set_serialno(OggOpusEnc *enc, int serial);
int bodo_ope_set_bitrate(OggOpusEnc *enc, int bitsPerSecond);
int bodo_ope_set_signal_voice(OggOpusEnc *enc);
