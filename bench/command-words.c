// A study for spoken commands (issue 21), not part of bodo: decodes each WAV (16 kHz mono,
// 16-bit, 44-byte header) with pocketsphinx twice, once against the command grammar and once
// against a loop of single phones, and prints the command heard and the score difference per
// frame: how much better the commands explain the sound than any sequence of phones does, a
// likelihood ratio that does not depend on the level or the channel as a raw score does.
// Usage: command-words DICT COMMAND_JSGF LOOP_JSGF FILE.wav...
// Output, a line per file: file, hypothesis ("-" when the grammar reached no end), command
// score, loop score, frames, (command - loop) / frames. bench/command-words.sh runs it.
#include <pocketsphinx.h>
#include <stdio.h>

#define MODEL "/usr/share/pocketsphinx/model/en-us"

static short samples[16000 * 20];

static int32 decode(ps_decoder_t *ps, const char *search, size_t n, char *hyp, size_t size, int *frames) {
    int32 score = 0;
    ps_set_search(ps, search);
    ps_start_utt(ps);
    ps_process_raw(ps, samples, n, FALSE, TRUE);
    ps_end_utt(ps);
    const char *h = ps_get_hyp(ps, &score);
    snprintf(hyp, size, "%s", h ? h : "-");
    *frames = ps_get_n_frames(ps);
    return score;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: command-words DICT COMMAND_JSGF LOOP_JSGF FILE.wav...\n");
        return 2;
    }
    // cmd_ln_init is C-variadic: one reason the product will want a small C shim too.
    cmd_ln_t *config = cmd_ln_init(NULL, ps_args(), TRUE, "-hmm", MODEL "/en-us", "-dict", argv[1], "-logfn", "/dev/null", NULL);
    ps_decoder_t *ps = config ? ps_init(config) : NULL;
    if (!ps || ps_set_jsgf_string(ps, "commands", argv[2]) < 0 || ps_set_jsgf_string(ps, "phones", argv[3]) < 0) {
        fprintf(stderr, "command-words: pocketsphinx did not take the model or a grammar\n");
        return 1;
    }
    for (int i = 4; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) { perror(argv[i]); return 1; }
        fseek(f, 44, SEEK_SET);
        size_t n = fread(samples, 2, sizeof samples / 2, f);
        fclose(f);
        char heard[200], phones[200];
        int frames, loopFrames;
        int32 command = decode(ps, "commands", n, heard, sizeof heard, &frames);
        int32 loop = decode(ps, "phones", n, phones, sizeof phones, &loopFrames);
        printf("%s\t%s\t%d\t%d\t%d\t%.1f\n", argv[i], heard, command, loop, frames, frames ? (double)(command - loop) / frames : 0);
    }
    ps_free(ps);
    cmd_ln_free_r(config);
    return 0;
}
