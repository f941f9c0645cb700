/* The reference for bodo's speed target: the time espeak-ng itself needs, inside one process,
 * to synthesize a session's distinct phrases with the same voice settings, and nothing else.
 * Usage: espeak-reference VOICE RATE PITCH VOLUME WORDGAP < phrases.txt (one phrase per line) */
#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long samples;

static int collect(short *wav, int count, espeak_EVENT *events) {
    (void)wav; (void)events;
    if (count > 0) samples += count;
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: %s VOICE RATE PITCH VOLUME WORDGAP < phrases\n", argv[0]); return 2; }
    espeak_ng_InitializePath(NULL);
    espeak_ng_ERROR_CONTEXT context = NULL;
    if (espeak_ng_Initialize(&context) != ENS_OK) return 1;
    if (espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, NULL) != ENS_OK) return 1;
    espeak_SetSynthCallback(collect);
    if (espeak_ng_SetVoiceByName(argv[1]) != ENS_OK) return 1;
    espeak_ng_SetParameter(espeakRATE, atoi(argv[2]), 0);
    espeak_ng_SetParameter(espeakPITCH, atoi(argv[3]), 0);
    espeak_ng_SetParameter(espeakVOLUME, atoi(argv[4]), 0);
    espeak_ng_SetParameter(espeakWORDGAP, atoi(argv[5]), 0);
    char line[65536];
    int phrases = 0;
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        if (!*line) continue;
        if (espeak_ng_Synthesize(line, strlen(line) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, NULL) != ENS_OK) return 1;
        phrases++;
    }
    fprintf(stderr, "%d phrases, %ld samples\n", phrases, samples);
    return 0;
}
