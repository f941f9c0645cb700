#pragma once
// WebRTC's voice activity detector, inside Debian's libwebrtc-audio-processing (0.3). Debian
// ships the library but not this part of its headers, so the five C functions bodo calls are
// declared here as WebRTC's own common_audio/vad/include/webrtc_vad.h declares them (checked
// against the library's code: WebRtcVad_Create takes nothing and returns the malloc'd state).
#include <stddef.h>
#include <stdint.h>

typedef struct WebRtcVadInst VadInst;

// A new detector, or NULL; free it with WebRtcVad_Free.
VadInst *WebRtcVad_Create(void);
void WebRtcVad_Free(VadInst *handle);
// 0, or -1 on a NULL handle.
int WebRtcVad_Init(VadInst *handle);
// 0 (least aggressive) to 3 (most aggressive about calling audio "not speech"); 0 or -1.
int WebRtcVad_set_mode(VadInst *handle, int mode);
// 1 voiced, 0 not, -1 for a rate other than 8, 16, 32 or 48 kHz or a frame other than 10, 20 or 30 ms.
int WebRtcVad_Process(VadInst *handle, int fs, const int16_t *audio_frame, size_t frame_length);
