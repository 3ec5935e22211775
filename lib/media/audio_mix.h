/* audio_mix.h - the sound of an output: a clip's own audio and/or a song,
 * the song trimmed to the video, faded out at the end and ducked while
 * someone speaks in the clip, the mix brought to a loudness target
 * (EBU R128: integrated loudness and true peak) for phone playback.
 * Built on libavfilter; decodes its inputs itself. */
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
    const char *music_path;  /* NULL: no music */
    int music_replace;       /* 1: the clip's audio is left out */
    int64_t duration_ms;     /* length of the output's sound */
    int64_t fade_ms;         /* the music's fade-out at the end (0: 2000,
                                shortened for short videos) */
    double duck_db;          /* music lowered this much while the clip has
                                speech (0: 10 dB) */
    int loudnorm;            /* 1: bring the mix to the targets below */
    double lufs, true_peak;  /* targets (0: -14 LUFS, -1 dBTP) */
} zimu_audio_mix_opts;

/* Open the inputs and prepare the mix (a loudness target measures the mix
 * in a first pass). 0, or ZIMU_ENOENT / ZIMU_ENOTVIDEO / ZIMU_EFFMPEG /
 * ZIMU_ENOMEM / ZIMU_ECANCEL with the message (naming the file) in c. */
int zimu__audio_mix_open(zimu_ctx *c, zimu_audio_mix **out, const zimu_audio_mix_opts *o);
/* What the frames are: sample rate, channel layout, sample format. */
const AVCodecParameters *zimu__audio_mix_par(const zimu_audio_mix *m);
/* The next frame of the mix (pts in 1/sample_rate from 0), owned by the
 * caller: 1, 0 at the end, or a negative error. */
int zimu__audio_mix_read(zimu_audio_mix *m, AVFrame **frame);
void zimu__audio_mix_free(zimu_audio_mix **m);

#endif
