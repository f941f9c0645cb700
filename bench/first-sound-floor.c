/* The floor for bodo's time to first sound: a program that does only what any spoken coach
 * must before its first sound: start, open the ALSA device, start espeak-ng with the voice,
 * synthesize the first phrase and hand its first chunk to ALSA. It prints when it did, on
 * CLOCK_MONOTONIC, in bodo's words ("first frames to ALSA at N ms"), and exits.
 * Usage: first-sound-floor DEVICE VOICE RATE PITCH VOLUME WORDGAP "first phrase" */
#include <alsa/asoundlib.h>
#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static snd_pcm_t *pcm;

static int first_chunk(short *wav, int count, espeak_EVENT *events) {
    (void)events;
    if (count <= 0) return 0;
    snd_pcm_writei(pcm, wav, count);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    fprintf(stderr, "first frames to ALSA at %.3f ms (CLOCK_MONOTONIC)\n", now.tv_sec * 1e3 + now.tv_nsec / 1e6);
    exit(0);
}

int main(int argc, char **argv) {
    if (argc != 8) { fprintf(stderr, "usage: %s DEVICE VOICE RATE PITCH VOLUME WORDGAP PHRASE\n", argv[0]); return 2; }
    if (snd_pcm_open(&pcm, argv[1], SND_PCM_STREAM_PLAYBACK, 0) < 0) return 1;
    if (snd_pcm_set_params(pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1, 22050, 1, 20000) < 0) return 1;
    espeak_ng_InitializePath(NULL);
    espeak_ng_ERROR_CONTEXT context = NULL;
    if (espeak_ng_Initialize(&context) != ENS_OK) return 1;
    if (espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, NULL) != ENS_OK) return 1;
    espeak_SetSynthCallback(first_chunk);
    if (espeak_ng_SetVoiceByName(argv[2]) != ENS_OK) return 1;
    espeak_ng_SetParameter(espeakRATE, atoi(argv[3]), 0);
    espeak_ng_SetParameter(espeakPITCH, atoi(argv[4]), 0);
    espeak_ng_SetParameter(espeakVOLUME, atoi(argv[5]), 0);
    espeak_ng_SetParameter(espeakWORDGAP, atoi(argv[6]), 0);
    espeak_ng_Synthesize(argv[7], strlen(argv[7]) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, NULL);
    return 1;
}
