/* job.c - the burn job handle and its settings. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "chinese.h"
#include "digest.h"
#include "distance.h"
#include "flash_job.h"
#include "fontctx.h"
#include "job.h"
#include "media_out.h"

zimu_job *zimu_job_new(void)
{
    zimu_job *job = calloc(1, sizeof *job);
    if (!job)
        return NULL;
    job->ctx.magic = ZIMU__MAGIC_JOB;
    job->to_ms = -1;
    job->shown_before_mid = job->shown_after_mid = -1;
    job->crf = 20;
    job->fit = ZIMU_FIT_AUTO;
    job->loudnorm = -1;
    job->lufs = -14;
    job->true_peak = -1;
    zimu__capopts_init(&job->cap);
    return job;
}

static void clear_subs(zimu_job *job)
{
    free(job->subs_path);
    free(job->subs_data);
    free(job->subs_name);
    job->subs_path = job->subs_data = job->subs_name = NULL;
    job->subs_size = 0;
}

void zimu_job_free(zimu_job **pjob)
{
    zimu_job *job = pjob ? *pjob : NULL;
    /* a job freed through another copy of the pointer: leave it alone */
    if (!job || job->ctx.magic != ZIMU__MAGIC_JOB)
        return;
    free(job->in_path);
    free(job->in_name);
    free(job->out_path);
    clear_subs(job);
    free(job->flash_path);
    free(job->flash_data);
    free(job->flash_name);
    free(job->fonts_dir);
    zimu__fonts_unref(&job->fonts);
    free(job->preset);
    free(job->music_path);
    zimu__capopts_clear(&job->cap);
    zimu__chinese_free(&job->cc);
    job->ctx.magic = 0;
    free(job);
    *pjob = NULL;
}

const char *zimu_job_errmsg(const zimu_job *job)
{
    return zimu_errmsg(job);
}

int zimu_job_set_log(zimu_job *job, zimu_log_fn cb, void *opaque, int max_level)
{
    CHECK_JOB(job);
    job->ctx.log_cb = cb;
    job->ctx.log_opaque = opaque;
    job->ctx.log_level = max_level;
    return 0;
}

int zimu_job_set_progress(zimu_job *job, zimu_progress_fn cb, void *opaque)
{
    CHECK_JOB(job);
    job->progress = cb;
    job->progress_opaque = opaque;
    return 0;
}

/* Replace *dst by a copy of src (NULL allowed). */
static int set_str(zimu_job *job, char **dst, const char *src)
{
    char *copy = NULL;
    if (src && !(copy = strdup(src)))
        return zimu__fail(&job->ctx, ZIMU_ENOMEM, "out of memory");
    free(*dst);
    *dst = copy;
    return 0;
}

int zimu_job_set_input(zimu_job *job, const char *path)
{
    CHECK_JOB(job);
    if (!path || !*path)
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "input path is empty");
    job->in_read = NULL;
    job->in_seek = NULL;
    return set_str(job, &job->in_path, path);
}

int zimu_job_set_input_io(zimu_job *job, zimu_read_fn read, zimu_seek_fn seek,
                          void *opaque, const char *name)
{
    CHECK_JOB(job);
    if (!read)
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "input read callback is NULL");
    int r = set_str(job, &job->in_path, NULL);
    if (!r)
        r = set_str(job, &job->in_name, name);
    job->in_read = read;
    job->in_seek = seek;
    job->in_opaque = opaque;
    return r;
}

int zimu_job_set_output(zimu_job *job, const char *path)
{
    CHECK_JOB(job);
    if (!path || !*path)
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "output path is empty");
    job->out_write = NULL;
    return set_str(job, &job->out_path, path);
}

int zimu_job_set_output_io(zimu_job *job, zimu_write_fn write, void *opaque)
{
    CHECK_JOB(job);
    if (!write)
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "output write callback is NULL");
    job->out_write = write;
    job->out_opaque = opaque;
    return set_str(job, &job->out_path, NULL);
}

int zimu_job_set_overwrite(zimu_job *job, int overwrite)
{
    CHECK_JOB(job);
    job->overwrite = !!overwrite;
    return 0;
}

int zimu_job_set_null_output(zimu_job *job, int null_output)
{
    CHECK_JOB(job);
    job->null_output = !!null_output;
    return 0;
}

int zimu_job_set_subtitles(zimu_job *job, const char *path)
{
    CHECK_JOB(job);
    clear_subs(job);
    return set_str(job, &job->subs_path, path);
}

int zimu_job_set_subtitles_data(zimu_job *job, const void *data, size_t size,
                                const char *name)
{
    CHECK_JOB(job);
    if (!data && size)
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "subtitle data is NULL");
    clear_subs(job);
    job->subs_data = malloc(size + 1);
    if (!job->subs_data)
        return zimu__fail(&job->ctx, ZIMU_ENOMEM, "out of memory");
    if (size)
        memcpy(job->subs_data, data, size);
    job->subs_data[size] = 0;
    job->subs_size = size;
    return set_str(job, &job->subs_name, name ? name : "subtitles");
}

int zimu_job_set_charenc(zimu_job *job, const char *charenc)
{
    CHECK_JOB(job);
    return set_str(job, &job->cap.charenc, charenc && *charenc ? charenc : NULL);
}

int zimu_job_set_subtitle_stream(zimu_job *job, int index)
{
    CHECK_JOB(job);
    if (index < -1)
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "subtitle stream %d is not valid", index);
    job->cap.sub_stream = index;
    return 0;
}

int zimu_job_set_reading_speed(zimu_job *job, double cps)
{
    CHECK_JOB(job);
    if (!(cps > 0 && cps <= 100))
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "reading speed %g is not in (0, 100]", cps);
    job->cap.cps = cps;
    return 0;
}

int zimu_job_set_max_file_size(zimu_job *job, int64_t bytes)
{
    CHECK_JOB(job);
    zimu__clear(&job->ctx);
    if (bytes < 0 || bytes > ZIMU__MAX_FILE_MAX)
        return zimu__fail(&job->ctx, ZIMU_EINVAL,
                          "file size limit %" PRId64 " is not valid (1 byte to 1 TiB; 0: 64 MiB)",
                          bytes);
    job->cap.max_file_size = bytes ? bytes : ZIMU__MAX_FILE_DEFAULT;
    return 0;
}

void zimu_job_cancel(zimu_job *job)
{
    /* Async-signal-safe: no locks, no errno, no memory. */
    if (job && job->ctx.magic == ZIMU__MAGIC_JOB)
        atomic_store(&job->ctx.cancel, 1);
}

int zimu_job_set_shift(zimu_job *job, int64_t shift_ms)
{
    CHECK_JOB(job);
    /* as zimu_subs_retime(): far enough for any caption file, near enough
     * that adding it to a cue's time cannot overflow */
    if (shift_ms < -((int64_t)1 << 50) || shift_ms > ((int64_t)1 << 50))
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "shift %lld ms is not valid",
                          (long long)shift_ms);
    job->cap.shift_ms = shift_ms;
    return 0;
}

int zimu_job_set_time_scale(zimu_job *job, double factor)
{
    CHECK_JOB(job);
    if (!(factor > 0.01 && factor < 100))
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "time scale %g is not valid", factor);
    job->cap.time_scale = factor;
    return 0;
}

int zimu_job_set_overlap(zimu_job *job, int mode)
{
    CHECK_JOB(job);
    if (mode < ZIMU_OVERLAP_KEEP || mode > ZIMU_OVERLAP_DROP)
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "overlap mode %d is not valid", mode);
    job->cap.overlap = mode;
    return 0;
}

int zimu_job_set_missing_glyphs(zimu_job *job, int action)
{
    CHECK_JOB(job);
    if (action != ZIMU_GLYPHS_WARN && action != ZIMU_GLYPHS_ERROR)
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "missing-glyphs action %d is not valid",
                          action);
    job->cap.missing_glyphs = action;
    return 0;
}

int zimu_job_set_min_duration(zimu_job *job, int64_t min_ms)
{
    CHECK_JOB(job);
    if (min_ms < 0 || min_ms > ((int64_t)1 << 50))
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "minimum duration %lld ms is not valid",
                          (long long)min_ms);
    job->cap.min_ms = min_ms;
    return 0;
}

int zimu_job_set_style(zimu_job *job, const char *name_or_file)
{
    CHECK_JOB(job);
    return zimu__cap_set_str(&job->ctx, &job->cap.style, name_or_file);
}

int zimu_job_set_style_option(zimu_job *job, const char *key, const char *value)
{
    CHECK_JOB(job);
    return zimu__cap_set_style_option(&job->ctx, &job->cap, key, value);
}

int zimu_job_set_style_options(zimu_job *job, const char *settings)
{
    CHECK_JOB(job);
    return zimu__cap_set_style_options(&job->ctx, &job->cap, settings);
}

int zimu_job_set_safe_area(zimu_job *job, const char *name)
{
    CHECK_JOB(job);
    return zimu__cap_set_str(&job->ctx, &job->cap.safe_area, name);
}

int zimu_job_set_max_lines(zimu_job *job, int max_lines)
{
    CHECK_JOB(job);
    int r = zimu__cap_set_max_lines(&job->ctx, &job->cap, max_lines);
    if (r == 0)
        job->max_lines_set = 1;
    return r;
}

int zimu_job_set_highlight(zimu_job *job, int highlight)
{
    CHECK_JOB(job);
    job->cap.highlight = !!highlight;
    return 0;
}

int zimu_job_set_title(zimu_job *job, const char *text)
{
    CHECK_JOB(job);
    return zimu__cap_set_str(&job->ctx, &job->cap.title, text);
}

int zimu_job_set_chinese(zimu_job *job, const char *mode)
{
    CHECK_JOB(job);
    zimu__clear(&job->ctx);
    int m = zimu__chinese_mode(&job->ctx, mode);
    if (m < 0)
        return m;
    if (m != ZIMU__CHINESE_NONE) {
        /* opened now: missing OpenCC data shows here, not at a run */
        if (!job->cc && !(job->cc = zimu__chinese_new()))
            return zimu__fail(&job->ctx, ZIMU_ENOMEM, "out of memory");
        int r = zimu__chinese_open(&job->ctx, job->cc, m);
        if (r < 0)
            return r;
    }
    job->cap.chinese = m;
    return 0;
}

int zimu_job_set_logo(zimu_job *job, const char *png_path, int corner, double width_fraction)
{
    CHECK_JOB(job);
    return zimu__cap_set_logo(&job->ctx, &job->cap, png_path, corner, width_fraction);
}

int zimu_job_set_font(zimu_job *job, const char *family)
{
    CHECK_JOB(job);
    return zimu__cap_set_str(&job->ctx, &job->cap.font, family);
}

int zimu_job_set_fonts(zimu_job *job, zimu_fonts *fonts)
{
    CHECK_JOB(job);
    if (fonts && !zimu__fonts_loaded(fonts))
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "the font context is not loaded "
                                                  "(zimu_fonts_load)");
    zimu__fonts_unref(&job->fonts);
    job->fonts = zimu__fonts_ref(fonts);
    return 0;
}

int zimu_job_set_fonts_dir(zimu_job *job, const char *dir)
{
    CHECK_JOB(job);
    return set_str(job, &job->fonts_dir, dir && *dir ? dir : NULL);
}

int zimu_job_set_size(zimu_job *job, int width, int height)
{
    CHECK_JOB(job);
    if (width < 0 || height < 0 || (!width) != (!height) || width > 16384 || height > 16384 ||
        (width && (width < 16 || height < 16)))
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "output size %dx%d is not valid", width, height);
    int r = zimu__out_check_size(&job->ctx, (width + 1) & ~1, (height + 1) & ~1);
    if (r < 0)
        return r;
    job->width = (width + 1) & ~1;
    job->height = (height + 1) & ~1;
    return 0;
}

int zimu_job_set_fit(zimu_job *job, int fit)
{
    CHECK_JOB(job);
    if (fit < ZIMU_FIT_AUTO || fit > ZIMU_FIT_CROP)
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "fit mode %d is not valid", fit);
    job->fit = fit;
    return 0;
}

int zimu_job_set_trim(zimu_job *job, int64_t from_ms, int64_t to_ms)
{
    CHECK_JOB(job);
    if (from_ms < 0 || (to_ms >= 0 && to_ms <= from_ms))
        return zimu__fail(&job->ctx, ZIMU_EINVAL,
                          "trim %lld..%lld ms is not valid: the end must come after the start",
                          (long long)from_ms, (long long)to_ms);
    job->from_ms = from_ms;
    job->to_ms = to_ms < 0 ? -1 : to_ms;
    return 0;
}

int zimu_job_set_crf(zimu_job *job, int crf)
{
    CHECK_JOB(job);
    if (crf < 0 || crf > 51)
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "CRF %d is not in 0..51", crf);
    job->crf = crf;
    return 0;
}

int zimu_job_set_preset(zimu_job *job, const char *preset)
{
    CHECK_JOB(job);
    static const char *const names[] = {"ultrafast", "superfast", "veryfast", "faster", "fast",
                                        "medium", "slow", "slower", "veryslow", "placebo"};
    if (!preset)
        return set_str(job, &job->preset, NULL);
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(preset, names[i]))
            return set_str(job, &job->preset, preset);
    char hint[64];
    return zimu__fail(&job->ctx, ZIMU_EINVAL,
                      "preset '%s' is not a libx264 preset (ultrafast ... veryslow)%s", preset,
                      zimu__did_you_mean(preset, names, sizeof names / sizeof *names, hint,
                                         sizeof hint));
}

void zimu__job_set_threads(zimu_job *job, int threads)
{
    if (job && job->ctx.magic == ZIMU__MAGIC_JOB)
        job->threads = threads > 0 ? threads : 0;
}

int zimu_job_set_strict(zimu_job *job, int strict)
{
    CHECK_JOB(job);
    job->strict = strict != 0;
    return 0;
}

int zimu_job_damage_count(const zimu_job *job)
{
    CHECK_JOB(job);
    return job->n_damage;
}

int zimu_job_damage(const zimu_job *job, int i, int64_t *from_ms, int64_t *to_ms)
{
    CHECK_JOB(job);
    if (i < 0 || i >= job->n_damage)
        return ZIMU_EINVAL;
    if (from_ms)
        *from_ms = job->damage[i][0];
    if (to_ms)
        *to_ms = job->damage[i][1];
    return 0;
}

const zimu_stats *zimu_job_stats(const zimu_job *job)
{
    if (!job || job->ctx.magic != ZIMU__MAGIC_JOB)
        return NULL;
    return &job->stats;
}

int zimu_job_set_music(zimu_job *job, const char *path, int mode)
{
    CHECK_JOB(job);
    if (mode != ZIMU_MUSIC_MIX && mode != ZIMU_MUSIC_REPLACE)
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "music mode %d: ZIMU_MUSIC_MIX or "
                          "ZIMU_MUSIC_REPLACE", mode);
    if (path && !*path)
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "music path is empty");
    int r = set_str(job, &job->music_path, path);
    if (r == 0)
        job->music_mode = mode;
    return r;
}

int zimu_job_set_loudnorm(zimu_job *job, int on)
{
    CHECK_JOB(job);
    if (on != 0 && on != 1)
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "loudnorm %d: 1 on, 0 off", on);
    job->loudnorm = on;
    return 0;
}

int zimu_job_set_loudness_target(zimu_job *job, double lufs, double true_peak)
{
    CHECK_JOB(job);
    if (!(lufs >= -40 && lufs <= -5))
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "loudness %g LUFS: -40 to -5", lufs);
    if (!(true_peak >= -9 && true_peak <= 0))
        return zimu__fail(&job->ctx, ZIMU_EINVAL, "true peak %g dBTP: -9 to 0", true_peak);
    job->lufs = lufs;
    job->true_peak = true_peak;
    return 0;
}

void zimu__job_settings_digest(const zimu_job *job, zimu_digest *d)
{
    const zimu_capopts *o = &job->cap;
    zimu__digest_str(d, "charenc", o->charenc);
    zimu__digest_int(d, "sub_stream", o->sub_stream);
    zimu__digest_num(d, "cps", o->cps);
    zimu__digest_int(d, "max_file_size", o->max_file_size);
    zimu__digest_int(d, "shift", o->shift_ms);
    zimu__digest_num(d, "time_scale", o->time_scale);
    zimu__digest_int(d, "overlap", o->overlap);
    zimu__digest_int(d, "min_ms", o->min_ms);
    zimu__digest_str(d, "style", o->style);
    if (o->style) /* a style file's content; a preset name is no file */
        zimu__digest_file(d, "style_file", o->style, 0);
    for (size_t i = 0; i < o->n_style_opts; i++) {
        zimu__digest_str(d, "style_key", o->style_keys[i]);
        zimu__digest_str(d, "style_value", o->style_values[i]);
    }
    zimu__digest_str(d, "safe_area", o->safe_area);
    zimu__digest_int(d, "max_lines", o->max_lines);
    zimu__digest_int(d, "max_lines_set", job->max_lines_set);
    zimu__digest_int(d, "highlight", o->highlight);
    zimu__digest_str(d, "title", o->title);
    zimu__digest_str(d, "font", o->font);
    if (o->chinese) /* only when set: older fingerprints stay valid */
        zimu__digest_str(d, "chinese", zimu__chinese_mode_name(o->chinese));
    zimu__digest_str(d, "logo", o->logo);
    if (o->logo)
        zimu__digest_file(d, "logo_file", o->logo, 0);
    zimu__digest_int(d, "logo_corner", o->logo_corner);
    zimu__digest_num(d, "logo_width", o->logo_width);
    zimu__digest_str(d, "fonts_dir", job->fonts_dir);
    zimu__digest_int(d, "fps_num", job->fps_num);
    zimu__digest_int(d, "fps_den", job->fps_den);
    zimu__digest_int(d, "width", job->width);
    zimu__digest_int(d, "height", job->height);
    zimu__digest_int(d, "fit", job->fit);
    zimu__digest_int(d, "from", job->from_ms);
    zimu__digest_int(d, "to", job->to_ms);
    zimu__digest_int(d, "crf", job->crf);
    zimu__digest_str(d, "preset", job->preset);
    zimu__digest_str(d, "music", job->music_path);
    if (job->music_path)
        zimu__digest_file(d, "music_file", job->music_path, 1);
    /* a flash script's own song, when the job gives none: its beats time
     * the cards and it is the sound */
    char *script_music = job->music_path ? NULL : zimu__flash_script_music(job);
    if (script_music)
        zimu__digest_file(d, "script_music_file", script_music, 1);
    free(script_music);
    zimu__digest_int(d, "music_mode", job->music_mode);
    zimu__digest_int(d, "loudnorm", job->loudnorm);
    zimu__digest_num(d, "lufs", job->lufs);
    zimu__digest_num(d, "true_peak", job->true_peak);
    zimu__digest_int(d, "strict", job->strict);
    zimu__digest_int(d, "null_output", job->null_output);
}
