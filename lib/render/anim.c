/* anim.c - flash card animations and keyword spans as libass override
 * tags (anim.h).
 *
 * What libass 0.17.1 offers, and how it is used here:
 * - \t(t1,t2,accel,tags) moves \fscx \fscy \frz \alpha \1a ... from their
 *   value before it to the value in it over [t1, t2] of the event (k =
 *   ((t - t1) / (t2 - t1))^accel); several \t in a row make keyframes.
 *   \t(t,t,tags) with t > 0 is a step at t (t2 = 0 means "the whole
 *   event", so a step at 0 is written as the plain tags).
 * - \move and \pos: the first of them in an event wins; \org likewise;
 *   \fad/\fade: the first wins, and it multiplies every alpha, so it
 *   combines with colour and alpha tags.
 * - Tags in a later override block apply to the glyphs after it: a
 *   keyword's \fscx \fscy would stop a whole-event scale animation, so the
 *   animation's scale tags are written again in the keyword's block with
 *   every value times the keyword's scale, and again after it at 1.
 * - libass has no per-glyph offset: a character's jump (bounce) is a tiny
 *   \frz about an \org far to the left of the line, which moves a glyph
 *   up by R sin(a) and turns it by a (a few hundredths of a degree). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anim.h"
#include "charset.h"
#include "keyword.h"
#include "sbuf.h"

#define DEFAULT_BEAT 500
#define PI 3.14159265358979323846
/* At most this many loop periods a page (each is a few events): a longer
 * page loops more slowly. */
#define MAX_PERIODS 1000
/* The \org of a bounce: this far left of the text. */
#define BOUNCE_R 20000.0

enum { PH_IN, PH_OUT, PH_LOOP };

enum {
    PC_NONE = 0,
    PC_TYPE_IN, PC_TYPE_OUT, PC_TYPE_LOOP,
    PC_BOUNCE_IN, PC_BOUNCE_OUT, PC_BOUNCE_LOOP,
};

/* One event's animation. */
typedef struct prog {
    int scaled;          /* scale keyframes below */
    double s0;           /* scale at the start, percent */
    int nst;
    struct step {
        int t1, t2;
        double accel, v;
    } st[4];
    int moving;          /* \move(x0,y0,x1,y1,m1,m2) instead of \pos */
    double x0, y0, x1, y1;
    int m1, m2;
    int org;             /* \org(ox,oy) */
    double ox, oy;
    char rot[160];       /* \frz tags */
    char fade[80];       /* \fad or \fade */
    int pc;              /* PC_*: tags before each character */
    int pc_d;            /* the time the characters share */
} prog;

typedef struct actx {
    const zimu_anim_page *a;
    const zimu_page *pg;
    int an;              /* \an of the events */
    double ax, ay;       /* their anchor */
    size_t nchars;       /* visible characters */
    double max_scale;    /* percent the card may grow to and stay in the
                            frame */
    int key_scale;
    zimu_anim_events *out;
} actx;

/* ------------------------------------------------------------------------
 * Characters.
 */

/* Code points drawn as part of the character before them. */
static int joins(uint32_t cp)
{
    return (cp >= 0x300 && cp <= 0x36F) || cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F) ||
           (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0020 && cp <= 0xE007F) ||
           (cp >= 0xE0100 && cp <= 0xE01EF) || cp == 0x20E3;
}

static int blank(uint32_t cp)
{
    return cp <= ' ' || cp == 0x3000 || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B);
}

/* The length of the override block at s (0: none), and whether it is a
 * keyword marker (*key: 1 on, 0 off, -1 another block) or a word marker
 * of the layout (skipped: *key -2). */
static size_t block_at(const char *s, int *key)
{
    if (*s != '{')
        return 0;
    int on;
    size_t n = zimu__key_at(s, &on);
    if (n) {
        *key = on;
        return n;
    }
    long w;
    int end;
    n = zimu__mark_at(s, &w, &end);
    if (n) {
        *key = -2;
        return n;
    }
    const char *e = strchr(s, '}');
    if (!e)
        return 0;
    *key = -1;
    return (size_t)(e - s) + 1;
}

/* Visible characters of a page's text (those the per-character effects
 * step through): not blank, not joined to the one before. */
static size_t count_visible(const char *t)
{
    size_t n = 0, len = strlen(t);
    for (size_t i = 0; i < len;) {
        int key;
        size_t b = block_at(t + i, &key);
        if (b) {
            i += b;
            continue;
        }
        size_t used;
        uint32_t cp = zimu__utf8_next((const unsigned char *)t + i, len - i, &used);
        n += !blank(cp) && !joins(cp);
        i += used ? used : 1;
    }
    return n;
}

/* ------------------------------------------------------------------------
 * Durations.
 */

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static int beat_of(const zimu_cue_fx *fx)
{
    return fx->beat_ms > 0 ? fx->beat_ms : DEFAULT_BEAT;
}

/* The default duration of an in or out effect. */
static int64_t default_ms(int kind, int beat, size_t n, int64_t dur)
{
    int64_t half = beat / 2 < 300 ? beat / 2 : 300;
    if (half < 60)
        half = 60;
    int64_t d;
    switch (kind) {
    case ZIMU__FX_TYPEWRITER:
        d = (int64_t)(n ? n : 1) * clampi(beat / 4, 40, 120);
        break;
    case ZIMU__FX_BOUNCE:
        d = half + (int64_t)(n > 1 ? n - 1 : 0) * clampi(beat / 8, 25, 60);
        break;
    case ZIMU__FX_STROBE:
        d = beat;
        break;
    default:
        return half;
    }
    return d < dur * 3 / 5 ? d : dur * 3 / 5;
}

void zimu__anim_times(const zimu_cue_fx *fx, int64_t dur, size_t n_chars, int *in_ms,
                      int *out_ms, int *loop_ms)
{
    int beat = beat_of(fx);
    int64_t in = 0, out = 0;
    if (fx->in > 0 && fx->in < ZIMU__FX_COUNT)
        in = fx->in_ms > 0 ? fx->in_ms : default_ms(fx->in, beat, n_chars, dur);
    if (fx->out > 0 && fx->out < ZIMU__FX_COUNT)
        out = fx->out_ms > 0 ? fx->out_ms : default_ms(fx->out, beat, n_chars, dur);
    int64_t room = dur * 4 / 5;
    if (in + out > room && in + out > 0) {
        int64_t sum = in + out;
        in = in * room / sum;
        out = out * room / sum;
    }
    *in_ms = (int)in;
    *out_ms = (int)out;
    *loop_ms = fx->loop > 0 && fx->loop < ZIMU__FX_COUNT
                   ? (fx->loop_ms > 0 ? fx->loop_ms : beat) : 0;
    if (*loop_ms && *loop_ms < 40)
        *loop_ms = 40;
}

/* ------------------------------------------------------------------------
 * Tags.
 */

static uint32_t bgr(zimu_color c)
{
    return (uint32_t)c.b << 16 | (uint32_t)c.g << 8 | c.r;
}

static unsigned alpha_of(zimu_color c)
{
    return 255u - c.a;
}

static void scale_step(prog *p, int t1, int t2, double accel, double v)
{
    if (p->nst < 4)
        p->st[p->nst++] = (struct step){t1, t2, accel, v};
    p->scaled = 1;
}

/* The scale tags of p with every value times f (the keyword's factor). */
static void scale_tags(zimu_sbuf *b, const prog *p, double f)
{
    if (!p->scaled) {
        if (f != 1)
            zimu__sb_printf(b, "\\fscx%.4g\\fscy%.4g", 100 * f, 100 * f);
        else
            zimu__sb_adds(b, "\\fscx100\\fscy100");
        return;
    }
    zimu__sb_printf(b, "\\fscx%.4g\\fscy%.4g", p->s0 * f, p->s0 * f);
    for (int i = 0; i < p->nst; i++) {
        double v = p->st[i].v * f;
        if (p->st[i].t2 <= 0) /* over before the event starts */
            zimu__sb_printf(b, "\\fscx%.4g\\fscy%.4g", v, v);
        else if (p->st[i].accel != 1)
            zimu__sb_printf(b, "\\t(%d,%d,%.3g,\\fscx%.4g\\fscy%.4g)", p->st[i].t1,
                            p->st[i].t2, p->st[i].accel, v, v);
        else
            zimu__sb_printf(b, "\\t(%d,%d,\\fscx%.4g\\fscy%.4g)", p->st[i].t1, p->st[i].t2, v,
                            v);
    }
}

/* The alphas a hidden character comes back to. */
static void restore_alpha(zimu_sbuf *b, const zimu_text_style *s, int key)
{
    zimu__sb_printf(b, "\\1a&H%02X&\\3a&H%02X&\\4a&H%02X&",
                    alpha_of(key ? s->highlight_color : s->color), alpha_of(s->outline_color),
                    alpha_of(s->shadow_color));
}

/* A step at t: the tags from then on (t <= 0: at once). */
static void step_at(zimu_sbuf *b, int t, void (*tags)(zimu_sbuf *, const zimu_text_style *, int),
                    const zimu_text_style *s, int key)
{
    if (t <= 0) {
        tags(b, s, key);
        return;
    }
    zimu__sb_printf(b, "\\t(%d,%d,", t, t);
    tags(b, s, key);
    zimu__sb_adds(b, ")");
}

static void hide_alpha(zimu_sbuf *b, const zimu_text_style *s, int key)
{
    (void)s;
    (void)key;
    zimu__sb_adds(b, "\\alpha&HFF&");
}

/* The angle that lifts a character h pixels about the bounce's \org. */
static double lift_deg(const actx *x, double h)
{
    return asin(h / (BOUNCE_R + x->pg->w / 2)) * 180 / PI;
}

/* The tags before visible character k (of x->nchars) for p->pc. */
static void char_tags(zimu_sbuf *b, const actx *x, const prog *p, size_t k, int key)
{
    const zimu_text_style *s = x->a->s;
    size_t n = x->nchars ? x->nchars : 1;
    int D = p->pc_d;
    double A = lift_deg(x, x->a->fs * 0.3);
    zimu__sb_adds(b, "{");
    switch (p->pc) {
    case PC_TYPE_IN:
    case PC_TYPE_LOOP: {
        int span = p->pc == PC_TYPE_IN ? D : D / 2;
        int t = (int)((int64_t)k * span / (int64_t)n);
        if (t > 0) {
            hide_alpha(b, s, key);
            step_at(b, t, restore_alpha, s, key);
        }
        break;
    }
    case PC_TYPE_OUT: /* the last character goes first */
        step_at(b, (int)((int64_t)(n - k) * D / (int64_t)n), hide_alpha, s, key);
        break;
    case PC_BOUNCE_IN:
    case PC_BOUNCE_OUT:
    case PC_BOUNCE_LOOP: {
        int span = D; /* the wave takes D */
        int J = n > 1 ? span * 2 / 5 : span;
        int t = n > 1 ? (int)((int64_t)k * (span - J) / (int64_t)(n - 1)) : 0;
        if (p->pc == PC_BOUNCE_IN) {
            /* appears lifted, falls, bounces once */
            if (t > 0) {
                hide_alpha(b, s, key);
                step_at(b, t, restore_alpha, s, key);
            }
            int land = t + J * 7 / 10, top = t + J * 17 / 20;
            zimu__sb_printf(b, "\\frz%.5f\\t(%d,%d,2,\\frz0)\\t(%d,%d,0.5,\\frz%.5f)"
                               "\\t(%d,%d,2,\\frz0)",
                            A, t > 0 ? t : 0, land > 0 ? land : 1, land, top, A / 4, top,
                            t + J);
        } else if (p->pc == PC_BOUNCE_OUT) {
            /* jumps and is gone; shown again first: the one before
             * hid itself and all after it */
            restore_alpha(b, s, key);
            zimu__sb_printf(b, "\\frz0\\t(%d,%d,0.5,\\frz%.5f)", t, t + J > 0 ? t + J : 1, A);
            step_at(b, t + J > 0 ? t + J : 1, hide_alpha, s, key);
        } else {
            int mid = t + J / 2;
            zimu__sb_printf(b, "\\frz0\\t(%d,%d,0.5,\\frz%.5f)\\t(%d,%d,2,\\frz0)", t,
                            mid > 0 ? mid : 1, A, mid, t + J);
        }
        break;
    }
    }
    zimu__sb_adds(b, "}");
    if (b->len >= 2 && !memcmp(b->s + b->len - 2, "{}", 2))
        b->len -= 2; /* nothing for this character */
}

/* The page's text as event text after the first block: '\n' as \N, the
 * keyword markers as colour and scale tags, the layout's word markers
 * left out, the per-character tags of p. */
static void body(zimu_sbuf *b, const actx *x, const prog *p)
{
    const zimu_text_style *s = x->a->s;
    const char *t = x->pg->text;
    size_t len = strlen(t), k = 0;
    double kf = x->key_scale / 100.0;
    double lf = 1; /* the lines' own scale: a look's big first line */
    int key = 0;
    for (size_t i = 0; i < len;) {
        int kind, pct = 0, pct_y = 0, n = 0;
        size_t bl = block_at(t + i, &kind);
        if (bl) {
            if (kind == 1 && !key) {
                zimu__sb_printf(b, "{\\1c&H%06X&\\1a&H%02X&", bgr(s->highlight_color),
                                alpha_of(s->highlight_color));
                scale_tags(b, p, kf * lf);
                zimu__sb_adds(b, "}");
                key = 1;
            } else if (kind == 0 && key) {
                zimu__sb_printf(b, "{\\1c&H%06X&\\1a&H%02X&", bgr(s->color), alpha_of(s->color));
                scale_tags(b, p, lf);
                zimu__sb_adds(b, "}");
                key = 0;
            } else if (kind == -1 &&
                       sscanf(t + i, "{\\fscx%d\\fscy%d}%n", &pct, &pct_y, &n) == 2 &&
                       (size_t)n == bl && pct == pct_y && pct > 0) {
                /* The layout's scale of the lines that follow (a look's
                 * big first line): the animation's scale times it, and the
                 * keyword's factor on top inside a keyword. */
                lf = pct / 100.0;
                zimu__sb_adds(b, "{");
                scale_tags(b, p, key ? kf * lf : lf);
                zimu__sb_adds(b, "}");
            } else if (kind == -1) {
                zimu__sb_add(b, t + i, bl);
            }
            i += bl;
            continue;
        }
        if (t[i] == '\n') {
            zimu__sb_adds(b, "\\N");
            i++;
            continue;
        }
        if (t[i] == '\r') {
            i++;
            continue;
        }
        size_t used;
        uint32_t cp = zimu__utf8_next((const unsigned char *)t + i, len - i, &used);
        if (!used)
            used = 1;
        if (p && p->pc && !blank(cp) && !joins(cp))
            char_tags(b, x, p, k++, key);
        zimu__sb_add(b, t + i, used);
        i += used;
    }
}

/* The tags of the box drawn with an event of p: anchored on the box as
 * the text is on its lines (the same side, the middle), moved by what
 * moves the text, scaled, turned and faded alike. */
static char *box_tags(const actx *x, const prog *p)
{
    zimu_lrect v = x->pg->vis;
    v.x0 += 1;
    v.y0 += 1;
    v.x1 -= 1;
    v.y1 -= 1;
    int col = x->an - 4;
    double bx = col == 0 ? v.x0 : col == 1 ? (v.x0 + v.x1) / 2 : v.x1;
    double by = (v.y0 + v.y1) / 2, dx = bx - x->ax, dy = by - x->ay;
    zimu_sbuf b = {0};
    zimu__sb_printf(&b, "\\an%d", x->an);
    if (p->moving)
        zimu__sb_printf(&b, "\\move(%.1f,%.1f,%.1f,%.1f,%d,%d)", p->x0 + dx, p->y0 + dy,
                        p->x1 + dx, p->y1 + dy, p->m1, p->m2 > 0 ? p->m2 : 1);
    else
        zimu__sb_printf(&b, "\\pos(%.1f,%.1f)", bx, by);
    if (p->org)
        zimu__sb_printf(&b, "\\org(%.1f,%.1f)", p->ox, p->oy);
    zimu__sb_adds(&b, p->fade);
    zimu__sb_adds(&b, p->rot);
    if (p->scaled)
        scale_tags(&b, p, 1);
    return zimu__sb_take(&b);
}

/* Append an event [t0, t1) drawing p (NULL: the page at rest). */
static int emit(actx *x, int64_t t0, int64_t t1, const prog *p)
{
    if (t1 <= t0)
        return 0;
    static const prog rest = {0};
    if (!p)
        p = &rest;
    zimu_sbuf b = {0};
    if (!x->a->fx) { /* keywords only: placed as the layout says */
        zimu__sb_printf(&b, "{\\an%d\\pos(%.0f,%.0f)}", x->pg->an, x->pg->pos_x, x->pg->pos_y);
    } else {
        zimu__sb_printf(&b, "{\\an%d", x->an);
        if (p->moving)
            zimu__sb_printf(&b, "\\move(%.1f,%.1f,%.1f,%.1f,%d,%d)", p->x0, p->y0, p->x1, p->y1,
                            p->m1, p->m2 > 0 ? p->m2 : 1);
        else
            zimu__sb_printf(&b, "\\pos(%.1f,%.1f)", x->ax, x->ay);
        if (p->org)
            zimu__sb_printf(&b, "\\org(%.1f,%.1f)", p->ox, p->oy);
        zimu__sb_adds(&b, p->fade);
        zimu__sb_adds(&b, p->rot);
        if (p->scaled)
            scale_tags(&b, p, 1);
        zimu__sb_adds(&b, "}");
    }
    body(&b, x, p);
    char *text = zimu__sb_take(&b);
    char *box = NULL;
    if (text && x->a->fx && x->pg->has_box && !(box = box_tags(x, p))) {
        free(text);
        text = NULL;
    }
    if (!text)
        return ZIMU_ENOMEM;
    zimu_anim_events *E = x->out;
    if (E->n == E->cap) {
        size_t cap = E->cap ? E->cap * 2 : 8;
        zimu_anim_event *v = realloc(E->v, cap * sizeof *v);
        if (!v) {
            free(text);
            free(box);
            return ZIMU_ENOMEM;
        }
        E->v = v;
        E->cap = cap;
    }
    E->v[E->n++] = (zimu_anim_event){t0, t1, text, box};
    return 0;
}

/* ------------------------------------------------------------------------
 * Effects.
 */

/* Deterministic jitter in [-1, 1]. */
static double jitter(uint32_t seed, int i)
{
    uint32_t v = seed * 2654435761u ^ (uint32_t)i * 40503u;
    v ^= v >> 15;
    v *= 2246822519u;
    v ^= v >> 13;
    return (double)(v % 2001) / 1000.0 - 1;
}

/* Shake over [t0, t0 + d): the anchor jumps between jittered points, a
 * \move per step; calm: 1 at the start (out), 2 at the end (in), 3 both
 * (loop). */
static int shake(actx *x, int64_t t0, int d, int calm)
{
    double A = x->a->fs * 0.06 > 2 ? x->a->fs * 0.06 : 2;
    int n = d / 40;
    if (n < 2)
        n = 2;
    if (n > 16)
        n = 16;
    uint32_t seed = (uint32_t)(t0 * 7 + 1);
    int r = 0;
    double px = 0, py = 0;
    for (int i = 0; i < n && r == 0; i++) {
        double nx = jitter(seed, 2 * i), ny = jitter(seed, 2 * i + 1);
        if (i == 0 && (calm & 1))
            px = py = 0;
        else if (i == 0) {
            px = jitter(seed, 999) * A;
            py = jitter(seed, 998) * A;
        }
        nx *= A;
        ny *= A;
        if (i == n - 1 && (calm & 2))
            nx = ny = 0;
        int64_t a = t0 + (int64_t)i * d / n, e = t0 + (int64_t)(i + 1) * d / n;
        prog p = {.moving = 1, .x0 = x->ax + px, .y0 = x->ay + py, .x1 = x->ax + nx,
                  .y1 = x->ay + ny, .m1 = 0, .m2 = (int)(e - a)};
        r = emit(x, a, e, &p);
        px = nx;
        py = ny;
    }
    return r;
}

/* Strobe over [t0, t0 + d) in n steps, shown on the even ones. */
static int strobe(actx *x, int64_t t0, int d, int n)
{
    int r = 0;
    for (int i = 0; i < n && r == 0; i += 2)
        r = emit(x, t0 + (int64_t)i * d / n, t0 + (int64_t)(i + 1) * d / n, NULL);
    return r;
}

/* Where a slide starts (in) or ends (out): the page just off the frame on
 * its side. */
static void off_frame(const actx *x, int kind, double *ox, double *oy)
{
    const zimu_lrect *v = &x->pg->vis;
    *ox = x->ax;
    *oy = x->ay;
    switch (kind) {
    case ZIMU__FX_SLIDE_LEFT:
        *ox = x->ax - v->x1 - 2;
        break;
    case ZIMU__FX_SLIDE_RIGHT:
        *ox = x->ax + (x->a->width - v->x0) + 2;
        break;
    case ZIMU__FX_SLIDE_UP:
        *oy = x->ay - v->y1 - 2;
        break;
    default:
        *oy = x->ay + (x->a->height - v->y0) + 2;
        break;
    }
}

/* The events of effect kind in phase ph over [t0, t0 + d). */
static int effect(actx *x, int kind, int ph, int64_t t0, int d)
{
    prog p = {0};
    int D = d;
    switch (kind) {
    case ZIMU__FX_POP:
        p.s0 = ph == PH_IN ? 0 : 100;
        if (ph == PH_IN) {
            scale_step(&p, 0, D * 6 / 10, 0.8, 118);
            scale_step(&p, D * 6 / 10, D, 1, 100);
        } else if (ph == PH_OUT) {
            scale_step(&p, 0, D * 35 / 100, 1, 118);
            scale_step(&p, D * 35 / 100, D, 1.5, 0);
        } else {
            scale_step(&p, 0, D * 15 / 100, 1, 116);
            scale_step(&p, D * 15 / 100, D / 2, 1, 100);
        }
        break;
    case ZIMU__FX_ZOOM_IN:
    case ZIMU__FX_ZOOM_OUT: {
        int in = kind == ZIMU__FX_ZOOM_IN;
        if (ph == PH_IN) {
            p.s0 = in ? 0 : 200;
            scale_step(&p, 0, D, 0.6, 100);
            if (!in)
                snprintf(p.fade, sizeof p.fade, "\\fad(%d,0)", D);
        } else if (ph == PH_OUT) {
            p.s0 = 100;
            scale_step(&p, 0, D, in ? 1 : 1.4, in ? 200 : 0);
            if (in)
                snprintf(p.fade, sizeof p.fade, "\\fad(0,%d)", D);
        } else {
            p.s0 = 100;
            scale_step(&p, 0, D / 2, 1, in ? 108 : 93);
            scale_step(&p, D / 2, D, 1, 100);
        }
        break;
    }
    case ZIMU__FX_FADE:
        if (ph == PH_IN)
            snprintf(p.fade, sizeof p.fade, "\\fad(%d,0)", D);
        else if (ph == PH_OUT)
            snprintf(p.fade, sizeof p.fade, "\\fad(0,%d)", D);
        else
            snprintf(p.fade, sizeof p.fade, "\\fade(0,160,0,0,%d,%d,%d)", D / 2, D / 2, D);
        break;
    case ZIMU__FX_SLIDE_LEFT:
    case ZIMU__FX_SLIDE_RIGHT:
    case ZIMU__FX_SLIDE_UP:
    case ZIMU__FX_SLIDE_DOWN: {
        double ox, oy;
        off_frame(x, kind, &ox, &oy);
        p.moving = 1;
        p.m1 = 0;
        p.m2 = D;
        if (ph == PH_LOOP) { /* sways a little toward its side, and back */
            double dx = ox == x->ax ? 0 : (ox < x->ax ? -1 : 1) * 0.02 * x->a->width;
            double dy = oy == x->ay ? 0 : (oy < x->ay ? -1 : 1) * 0.02 * x->a->height;
            p.x0 = x->ax;
            p.y0 = x->ay;
            p.x1 = x->ax + dx;
            p.y1 = x->ay + dy;
            p.m2 = D / 2;
            int r = emit(x, t0, t0 + D / 2, &p);
            p.x0 = p.x1;
            p.y0 = p.y1;
            p.x1 = x->ax;
            p.y1 = x->ay;
            p.m2 = D - D / 2;
            return r ? r : emit(x, t0 + D / 2, t0 + D, &p);
        }
        /* \move is linear: eased (out when coming in, in when going)
         * by three \move events along a cubic */
        int r = 0;
        double ax = ph == PH_IN ? ox : x->ax, ay = ph == PH_IN ? oy : x->ay;
        double bx = ph == PH_IN ? x->ax : ox, by = ph == PH_IN ? x->ay : oy;
        double prev = 0;
        int64_t at = t0;
        for (int i = 1; i <= 3 && r == 0; i++) {
            double u = i / 3.0;
            double f = ph == PH_IN ? 1 - (1 - u) * (1 - u) * (1 - u) : u * u * u;
            int64_t end = t0 + (int64_t)D * i / 3;
            p.x0 = ax + (bx - ax) * prev;
            p.y0 = ay + (by - ay) * prev;
            p.x1 = ax + (bx - ax) * f;
            p.y1 = ay + (by - ay) * f;
            p.m2 = (int)(end - at);
            r = emit(x, at, end, &p);
            at = end;
            prev = f;
        }
        return r;
    }
    case ZIMU__FX_TYPEWRITER:
        p.pc = ph == PH_IN ? PC_TYPE_IN : ph == PH_OUT ? PC_TYPE_OUT : PC_TYPE_LOOP;
        p.pc_d = D;
        break;
    case ZIMU__FX_BOUNCE:
        p.pc = ph == PH_IN ? PC_BOUNCE_IN : ph == PH_OUT ? PC_BOUNCE_OUT : PC_BOUNCE_LOOP;
        p.pc_d = ph == PH_LOOP ? D / 2 : D;
        p.org = 1;
        p.ox = x->pg->x - BOUNCE_R;
        p.oy = x->ay;
        break;
    case ZIMU__FX_SHAKE:
        return shake(x, t0, D, ph == PH_IN ? 2 : ph == PH_OUT ? 1 : 3);
    case ZIMU__FX_SPIN:
        p.org = 1;
        p.ox = x->pg->x + x->pg->w / 2;
        p.oy = x->ay;
        if (ph == PH_IN) {
            snprintf(p.rot, sizeof p.rot, "\\frz360\\t(0,%d,0.7,\\frz0)", D);
            p.s0 = 0;
            scale_step(&p, 0, D, 0.7, 100);
        } else if (ph == PH_OUT) {
            snprintf(p.rot, sizeof p.rot, "\\frz0\\t(0,%d,1.4,\\frz-360)", D);
            p.s0 = 100;
            scale_step(&p, 0, D, 1.4, 0);
        } else {
            snprintf(p.rot, sizeof p.rot,
                     "\\frz0\\t(0,%d,\\frz6)\\t(%d,%d,\\frz-6)\\t(%d,%d,\\frz0)", D / 4, D / 4,
                     D * 3 / 4, D * 3 / 4, D);
        }
        break;
    case ZIMU__FX_STROBE:
        if (ph == PH_IN)
            return strobe(x, t0, D, 5); /* ends shown */
        if (ph == PH_OUT)
            return strobe(x, t0, D, 6); /* ends hidden */
        return strobe(x, t0, D, 2);
    case ZIMU__FX_PULSE:
        p.s0 = 100;
        if (ph == PH_IN) {
            scale_step(&p, 0, D / 2, 1, 115);
            scale_step(&p, D / 2, D, 1, 100);
        } else if (ph == PH_OUT) {
            scale_step(&p, 0, D / 3, 1, 115);
            scale_step(&p, D / 3, D, 1.5, 0);
        } else {
            scale_step(&p, 0, D / 4, 1, 112);
            scale_step(&p, D / 4, D, 1, 100);
        }
        break;
    default:
        return emit(x, t0, t0 + D, NULL);
    }
    /* an overshoot (not the 200 % of a zoom that comes or goes with a
     * fade) stays inside the frame */
    for (int i = 0; i < p.nst; i++)
        if (p.st[i].v > 100 && p.st[i].v <= 120 && p.st[i].v > x->max_scale)
            p.st[i].v = x->max_scale > 100 ? x->max_scale : 100;
    return emit(x, t0, t0 + D, &p);
}

/* How far (percent) the card can grow about its anchor before what it
 * draws reaches an edge of the frame. */
static double room_to_grow(const actx *x)
{
    const zimu_lrect *v = &x->pg->vis;
    double m = 1e9;
    double need[4] = {x->ax - v->x0, v->x1 - x->ax, x->ay - v->y0, v->y1 - x->ay};
    double room[4] = {x->ax, x->a->width - x->ax, x->ay, x->a->height - x->ay};
    for (int i = 0; i < 4; i++)
        if (need[i] > 0.5 && room[i] / need[i] < m)
            m = room[i] / need[i];
    return m * 100;
}

/* ------------------------------------------------------------------------
 * Pages.
 */

int zimu__anim_wanted(const zimu_cue *cue)
{
    if (!cue)
        return 0;
    if (cue->fx && (cue->fx->in || cue->fx->out || cue->fx->loop))
        return 1;
    return zimu__has_keys(cue->text);
}

int zimu__anim_page_events(const zimu_anim_page *a, zimu_anim_events *out)
{
    const zimu_page *pg = a->pg;
    actx x = {.a = a, .pg = pg, .out = out, .key_scale = zimu__key_scale(a->s)};
    x.nchars = count_visible(pg->text);
    int col = (pg->an - 1) % 3;
    x.an = 4 + col;
    x.ax = pg->pos_x;
    x.ay = pg->y + pg->h / 2;
    x.max_scale = room_to_grow(&x);
    int64_t s = pg->start_ms, e = pg->end_ms;
    if (e <= s)
        return 0;
    const zimu_cue_fx *fx = a->fx;
    if (!fx)
        return emit(&x, s, e, NULL);
    int in, outd, period;
    zimu__anim_times(fx, e - s, x.nchars, &in, &outd, &period);
    int r = 0;
    if (in > 0)
        r = effect(&x, fx->in, PH_IN, s, in);
    int64_t h0 = s + in, h1 = e - outd;
    if (r == 0 && h1 > h0) {
        if (period > 0 && (h1 - h0) / period > MAX_PERIODS)
            period = (int)((h1 - h0) / MAX_PERIODS + 1); /* a very long card */
        if (period > 0) {
            /* whole periods on the beat (counted from the page's start),
             * the card at rest before, between and after them */
            int64_t k = (h0 - s + period - 1) / period, at = h0;
            for (; r == 0 && s + (k + 1) * period <= h1; k++) {
                int64_t p0 = s + k * period;
                r = emit(&x, at, p0, NULL);
                if (r == 0)
                    r = effect(&x, fx->loop, PH_LOOP, p0, period);
                at = p0 + period;
            }
            if (r == 0)
                r = emit(&x, at, h1, NULL);
        } else {
            r = emit(&x, h0, h1, NULL);
        }
    }
    if (r == 0 && outd > 0)
        r = effect(&x, fx->out, PH_OUT, e - outd, outd);
    return r;
}

void zimu__anim_events_free(zimu_anim_events *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->n; i++) {
        free(e->v[i].text);
        free(e->v[i].box);
    }
    free(e->v);
    memset(e, 0, sizeof *e);
}
