/* schedule.c - the times of a flash script's cards: given times, reading
 * speed, or a grid of beats (or bars) from the music or the script's tempo.
 * The rules are documented in docs/flash.md ("Timing"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"

/* A grid of points in seconds: pts[0..n) as found, then on with period
 * after the last one. Index x (>= 0, may be fractional) maps to a time. */
typedef struct grid {
    const double *pts;
    size_t n;
    double one;     /* the only point when pts is NULL */
    double period;  /* seconds between points past the last (> 0) */
    size_t from;    /* index of the first card's point */
    int every;      /* a bar grid made of beats: every 4th point */
} grid;

/* Time of point x (counted from the start index). */
static double grid_time(const grid *g, double x)
{
    x = x * g->every + (double)g->from;
    size_t n = g->pts ? g->n : 1;
    const double *p = g->pts ? g->pts : &g->one;
    if (x <= (double)(n - 1)) {
        size_t i = (size_t)floor(x);
        double f = x - (double)i;
        if (i + 1 >= n || f == 0)
            return p[i];
        return p[i] + f * (p[i + 1] - p[i]);
    }
    return p[n - 1] + (x - (double)(n - 1)) * g->period;
}

/* The whole index (counted from the start) of the point nearest t. */
static double grid_nearest(const grid *g, double t)
{
    size_t n = g->pts ? g->n : 1;
    const double *p = g->pts ? g->pts : &g->one;
    double best;
    if (t >= p[n - 1]) {
        best = (double)(n - 1) + floor((t - p[n - 1]) / g->period + 0.5);
    } else {
        size_t lo = 0, hi = n - 1; /* p[lo] <= t < p[hi] or t < p[0] */
        if (t <= p[0]) {
            best = 0;
        } else {
            while (hi - lo > 1) {
                size_t mid = (lo + hi) / 2;
                if (p[mid] <= t)
                    lo = mid;
                else
                    hi = mid;
            }
            best = t - p[lo] <= p[hi] - t ? (double)lo : (double)hi;
        }
    }
    double x = (best - (double)g->from) / g->every;
    return floor(x + 0.5);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median of the intervals of p[0..n) (n >= 2), or 0 when out of memory. */
static double median_interval(const double *p, size_t n)
{
    double *d = malloc((n - 1) * sizeof *d);
    if (!d)
        return 0;
    for (size_t i = 0; i + 1 < n; i++)
        d[i] = p[i + 1] - p[i];
    qsort(d, n - 1, sizeof *d, cmp_double);
    double m = (n - 1) % 2 ? d[(n - 1) / 2] : (d[(n - 1) / 2 - 1] + d[(n - 1) / 2]) / 2;
    free(d);
    return m;
}

/* The first index of p[0..n) at or after t (50 ms early still counts), or
 * n when none. */
static size_t first_at(const double *p, size_t n, double t)
{
    size_t i = 0;
    while (i < n && p[i] < t - 0.05)
        i++;
    return i;
}

static int64_t to_ms(double sec)
{
    return (int64_t)llround(sec * 1000.0);
}

/* Ascending and finite? */
static int ascending(const double *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(p[i]) || p[i] < 0 || (i && p[i] <= p[i - 1]))
            return 0;
    return 1;
}

static void ms_text(int64_t ms, char *buf, size_t size)
{
    snprintf(buf, size, "%d:%02d.%03d", (int)(ms / 60000), (int)(ms / 1000 % 60), (int)(ms % 1000));
}

/* Warn once that an option does not apply to the timing mode. */
static void warn_unused(zimu_ctx *c, const zimu_flash_script *s, int *warned, int line,
                        const char *key, const char *why)
{
    if (*warned)
        return;
    *warned = 1;
    zimu__log(c, ZIMU_LOG_WARNING, "%s:%d: '%s' is ignored: %s", s->name, line, key, zimu__tr(why));
}

static const char *const mode_names[] = {"times", "reading", "beats", "downbeats"};

/* Times and reading modes. */
static int schedule_clock(zimu_ctx *c, zimu_flash_script *s)
{
    int warned = 0;
    int reading = s->info.timing == ZIMU__FLASH_READING;
    int64_t prev_end = 0;
    int prev_fixed = 0; /* the previous card's dur was its own */
    for (size_t i = 0; i < s->n_cards; i++) {
        zimu_flash_card *k = &s->cards[i];
        const zimu_flash_opts *h = zimu__flash_pick(s, k, ZIMU__FO_HOLD);
        if (h)
            warn_unused(c, s, &warned, h->hold_line ? h->hold_line : k->line, "hold",
                        "it counts beats, and the timing is not 'beats' or 'downbeats'");
        int64_t start = k->o.at_ms >= 0 ? k->o.at_ms : prev_end;
        if (i) {
            zimu_flash_card *pk = &s->cards[i - 1];
            char a[32], b[32];
            if (start <= pk->start_ms) {
                ms_text(start, a, sizeof a);
                ms_text(pk->start_ms, b, sizeof b);
                return zimu__fail(c, ZIMU_ESUBS, "%s:%d: the card starts at %s, not after the "
                                  "card of line %d (at %s): times go forward", s->name, k->line,
                                  a, pk->line, b);
            }
            if (start < pk->end_ms) {
                if (prev_fixed) {
                    ms_text(start, a, sizeof a);
                    ms_text(pk->end_ms, b, sizeof b);
                    return zimu__fail(c, ZIMU_ESUBS, "%s:%d: the card starts at %s, while the "
                                      "card of line %d lasts until %s (its 'dur'): shorten it "
                                      "or start this card later", s->name, k->line, a,
                                      pk->line, b);
                }
                pk->end_ms = start; /* a default length gives way */
            }
        }
        const zimu_flash_opts *d = zimu__flash_pick(s, k, ZIMU__FO_DUR);
        int64_t dur;
        if (d) {
            dur = d->dur_ms;
        } else if (reading) {
            double ms = k->units / s->speed * 1000.0;
            dur = ms > ZIMU__FLASH_MIN_READ_MS ? (int64_t)llround(ms) : ZIMU__FLASH_MIN_READ_MS;
        } else if (i + 1 < s->n_cards && s->cards[i + 1].o.at_ms > start) {
            dur = s->cards[i + 1].o.at_ms - start; /* up to the next card's time */
        } else {
            dur = ZIMU__FLASH_DEFAULT_DUR_MS;
        }
        k->start_ms = start;
        k->end_ms = start + dur;
        k->beat_ms = 0;
        prev_end = k->end_ms;
        prev_fixed = d == &k->o;
    }
    return 0;
}

/* The beat length about time t: from the beats, or the grid's period. */
static int beat_len_ms(const double *beats, size_t n, double period, double t)
{
    if (n >= 2) {
        size_t i = first_at(beats, n, t + 0.1); /* the beat after t */
        if (i == 0)
            i = 1;
        if (i < n)
            return (int)llround((beats[i] - beats[i - 1]) * 1000.0);
    }
    return (int)llround(period * 1000.0);
}

/* Beats and downbeats modes. */
static int schedule_grid(zimu_ctx *c, zimu_flash_script *s, const double *beats,
                         size_t n_beats, const double *downs, size_t n_downs, double bpm,
                         int64_t music_ms)
{
    const zimu_flash_info *in = &s->info;
    int bars = in->timing == ZIMU__FLASH_DOWNBEATS;
    double fb = in->first_beat;
    grid beat = {0};
    beat.every = 1;
    /* the beat grid */
    if (n_beats) {
        beat.pts = beats;
        beat.n = n_beats;
        if (bpm > 0)
            beat.period = 60.0 / bpm;
        else if (n_beats >= 2)
            beat.period = median_interval(beats, n_beats);
        else if (in->bpm > 0)
            beat.period = 60.0 / in->bpm;
        if (!(beat.period > 0))
            return beat.period == 0 && n_beats >= 2
                ? zimu__fail(c, ZIMU_ENOMEM, "out of memory")
                : zimu__fail(c, ZIMU_ESUBS, "%s: the music has a single beat and no tempo: "
                             "give one with a 'bpm:' header", s->name);
        if (fb >= 0) {
            size_t i = first_at(beats, n_beats, fb);
            if (i < n_beats)
                beat.from = i;
            else /* past the last beat: on the grid after it */
                beat.from = n_beats - 1 + (size_t)ceil((fb - 0.05 - beats[n_beats - 1]) / beat.period);
        }
    } else if (in->bpm > 0) {
        beat.one = fb >= 0 ? fb : 0;
        beat.period = 60.0 / in->bpm;
    } else {
        return zimu__fail(c, ZIMU_ESUBS, "%s: timing: %s needs music with a beat or a 'bpm:' "
                          "header", s->name, mode_names[in->timing]);
    }
    grid g = beat;
    if (bars) {
        if (n_downs) {
            g.pts = downs;
            g.n = n_downs;
            g.every = 1;
            g.from = fb >= 0 ? first_at(downs, n_downs, fb) : 0;
            if (n_downs >= 2)
                g.period = median_interval(downs, n_downs);
            else
                g.period = 4 * beat.period;
            if (!(g.period > 0))
                return zimu__fail(c, ZIMU_ENOMEM, "out of memory");
            if (g.from >= n_downs)
                g.from = n_downs - 1 + (size_t)ceil((fb - 0.05 - downs[n_downs - 1]) / g.period);
        } else {
            g.every = 4;
            if (n_beats)
                zimu__log(c, ZIMU_LOG_WARNING, "%s: the music shows no downbeats: a bar is "
                          "taken as 4 beats from the first card's beat", s->name);
        }
    }
    int warned = 0;
    double x = 0;
    for (size_t i = 0; i < s->n_cards; i++) {
        zimu_flash_card *k = &s->cards[i];
        const zimu_flash_opts *d = zimu__flash_pick(s, k, ZIMU__FO_DUR);
        if (d)
            warn_unused(c, s, &warned, d->dur_line ? d->dur_line : k->line, "dur",
                        "the cards follow the beats: 'hold' says how many");
        if (k->o.at_ms >= 0) {
            double xa = grid_nearest(&g, (double)k->o.at_ms / 1000.0);
            if (xa < x - 1e-9) {
                char a[32], b[32];
                ms_text(k->o.at_ms, a, sizeof a);
                ms_text(to_ms(grid_time(&g, x)), b, sizeof b);
                return zimu__fail(c, ZIMU_ESUBS, "%s:%d: the card's time %s is before the "
                                  "card before it ends (%s, on the %s)", s->name, k->line, a,
                                  b, zimu__tr(bars ? N_("bars") : N_("beats")));
            }
            x = xa;
        }
        const zimu_flash_opts *h = zimu__flash_pick(s, k, ZIMU__FO_HOLD);
        double hold = h ? h->hold : in->beat_step;
        double t0 = grid_time(&g, x), t1 = grid_time(&g, x + hold);
        k->start_ms = to_ms(t0);
        k->end_ms = to_ms(t1);
        k->beat_ms = beat_len_ms(beats, n_beats, beat.period, t0);
        x += hold;
    }
    int64_t end = s->cards[s->n_cards - 1].end_ms;
    if (music_ms > 0 && end > music_ms) {
        char a[32], b[32];
        ms_text(end, a, sizeof a);
        ms_text(music_ms, b, sizeof b);
        zimu__log(c, ZIMU_LOG_WARNING, "%s: the cards run until %s, past the end of the "
                  "music (%s)", s->name, a, b);
    }
    return 0;
}

int zimu__flash_schedule(zimu_ctx *c, zimu_flash_script *s, const double *beats,
                         size_t n_beats, const double *downs, size_t n_downs,
                         double bpm, int64_t music_ms)
{
    s->scheduled = 0;
    s->length_ms = 0;
    if (!beats)
        n_beats = 0;
    if (!downs)
        n_downs = 0;
    if (!ascending(beats, n_beats) || !ascending(downs, n_downs) || !(bpm >= 0) || !isfinite(bpm))
        return zimu__fail(c, ZIMU_EINVAL, "%s: the beat times are not ascending seconds",
                          s->name);
    int r;
    if (s->info.timing == ZIMU__FLASH_BEATS || s->info.timing == ZIMU__FLASH_DOWNBEATS)
        r = schedule_grid(c, s, beats, n_beats, downs, n_downs, bpm, music_ms);
    else
        r = schedule_clock(c, s);
    if (r < 0)
        return r;
    s->length_ms = s->cards[s->n_cards - 1].end_ms;
    s->scheduled = 1;
    return 0;
}

int64_t zimu__flash_length_ms(const zimu_flash_script *s)
{
    return s->scheduled ? s->length_ms : 0;
}
