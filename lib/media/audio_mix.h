/* audio_mix.h - the sound of an output: a clip's own audio and/or a song,
 * the song trimmed to the video, faded out at the end and ducked while
 * someone speaks in the clip, the mix brought to a loudness target
 * (EBU R128: integrated loudness and true peak) for phone playback.
 * Decodes its inputs itself (files only: each is read again for every
 * pass), streaming, so memory does not grow with their length.
 *
 * Use: fill the options (a stand-alone video with a song: clip_path NULL,
 * music_path, duration_ms = the video's length, loudnorm 1), open, give
 * zimu__audio_mix_par() to the output (zimu_out_opts: audio
 * ZIMU_AUDIO_ENCODE, audio_par, audio_tb 1/48000), and after each video
 * frame write the frames whose pts lie before that frame's end
 * (zimu__out_audio_frame), the rest at the end (see mix_until in
 * lib/job/burn.c); free. */
#ifndef ZIMU_AUDIO_MIX_H
#define ZIMU_AUDIO_MIX_H

#include <stdint.h>

#include <libavutil/frame.h>
#include <libavcodec/codec_par.h>

#include "internal.h"

typedef struct zimu_audio_mix zimu_audio_mix;

typedef struct zimu_audio_mix_opts {
    const char *clip_path;   /* the clip whose audio is used; NULL: none */
    int64_t clip_from_ms, clip_to_ms; /* the part of the clip (to 0: end);
                                 output time 0 is clip_from_ms */
    const char *music_path;  /* NULL: no music; at most its first 20
                                minutes are used; under a clip's sound it
                                is set 6 LU below it, then ducked */
    int music_replace;       /* 1: the clip's audio is left out */
    int64_t duration_ms;     /* length of the output's sound (> 0; with
                                clip_to_ms set, at most to - from) */
    int64_t fade_ms;         /* the music's fade-out at the end (0: 2000;
                                at most a quarter of duration_ms) */
    double duck_db;          /* music lowered this much while the clip has
                                speech (0: 10 dB) */
    int loudnorm;            /* 1: bring the mix to the targets below */
    double lufs, true_peak;  /* targets (0: -14 LUFS, -1 dBTP) */
} zimu_audio_mix_opts;

/* Open the inputs and prepare the mix: the passes that find speech in the
 * clip (with music under it) and measure the loudness (loudnorm) run
 * here, so this takes a while for a long clip (decoding speed). The clip
 * without sound (no audio stream) is silence; a music file without sound
 * is an error. 0, or ZIMU_EINVAL (no inputs, no duration, targets out of
 * range) / ZIMU_ENOENT / ZIMU_ENOTVIDEO ("song.txt: not an audio file") /
 * ZIMU_ECODEC / ZIMU_EDECODE / ZIMU_EFFMPEG / ZIMU_ENOMEM / ZIMU_ECANCEL
 * with the message (naming the file) in c. c must outlive the mix. */
int zimu__audio_mix_open(zimu_ctx *c, zimu_audio_mix **out, const zimu_audio_mix_opts *o);
/* What the frames are: 48000 Hz, stereo, AV_SAMPLE_FMT_FLT (interleaved);
 * pass it as zimu_out_opts.audio_par with audio_tb 1/48000. */
const AVCodecParameters *zimu__audio_mix_par(const zimu_audio_mix *m);
/* The next frame of the mix (1024 samples, the last one shorter; pts in
 * 1/48000 from 0, contiguous), owned by the caller: 1, 0 at the end (after
 * exactly duration samples), or a negative error. */
int zimu__audio_mix_read(zimu_audio_mix *m, AVFrame **frame);
/* What the loudness pass found: the mix's integrated loudness before the
 * gain (-HUGE_VAL: silent or no loudnorm) and the gain applied (dB). */
void zimu__audio_mix_loudness(const zimu_audio_mix *m, double *measured_lufs, double *gain_db);
void zimu__audio_mix_free(zimu_audio_mix **m);

#endif
