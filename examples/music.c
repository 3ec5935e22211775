/* music.c - write a few bars of a pop pattern as a WAV file, to have music
 * for a flash video demo without shipping a song: a kick on every beat,
 * hats on the off-beats, a snare on 2 and 4, a bass line and chords
 * (C G Am F) at 120 BPM.
 *
 *     cc -O2 examples/music.c -o music -lm
 *     ./music out.wav [BARS [BPM]]      (default 8 bars at 120 BPM)
 *
 * Needs nothing but the C library and libm.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 44100

static const double TAU = 6.283185307179586;

/* A small deterministic noise source (the same file every time). */
static uint32_t seed = 22222;
static double noise(void)
{
    seed = seed * 1664525u + 1013904223u;
    return (double)(seed >> 8) / (double)(1u << 23) - 1.0;
}

static double midi_hz(int note)
{
    return 440.0 * pow(2.0, (note - 69) / 12.0);
}

/* Add a kick at sample s0: a sine falling from 150 to 45 Hz. */
static void kick(float *m, long n, long s0)
{
    double ph = 0;
    for (long i = 0; i < RATE / 3 && s0 + i < n; i++) {
        double t = (double)i / RATE;
        double f = 45.0 + 105.0 * exp(-t * 30.0);
        ph += TAU * f / RATE;
        m[s0 + i] += (float)(0.9 * sin(ph) * exp(-t * 9.0));
    }
}

/* Add a closed hat: high-passed noise, 40 ms. */
static void hat(float *m, long n, long s0, double gain)
{
    double last = 0;
    for (long i = 0; i < RATE / 20 && s0 + i < n; i++) {
        double x = noise(), hp = x - last;
        last = x;
        m[s0 + i] += (float)(gain * hp * exp(-(double)i / RATE * 90.0));
    }
}

/* Add a snare: noise and a 190 Hz tone, 150 ms. */
static void snare(float *m, long n, long s0)
{
    for (long i = 0; i < RATE / 6 && s0 + i < n; i++) {
        double t = (double)i / RATE;
        double v = 0.35 * noise() * exp(-t * 22.0) + 0.3 * sin(TAU * 190 * t) * exp(-t * 30.0);
        m[s0 + i] += (float)v;
    }
}

/* Add a note of a soft square-ish wave (odd harmonics), with attack and
 * release. */
static void note(float *m, long n, long s0, long len, int pitch, double gain, int harmonics)
{
    double f = midi_hz(pitch);
    for (long i = 0; i < len && s0 + i < n; i++) {
        double t = (double)i / RATE;
        double env = fmin(1.0, t / 0.01) * fmin(1.0, (double)(len - i) / (RATE * 0.05));
        double v = 0;
        for (int h = 1; h <= harmonics; h += 2)
            v += sin(TAU * f * h * t) / h;
        m[s0 + i] += (float)(gain * env * v);
    }
}

static void put16(FILE *f, unsigned v)
{
    fputc((int)(v & 255), f);
    fputc((int)(v >> 8 & 255), f);
}

static void put32(FILE *f, uint32_t v)
{
    put16(f, v & 0xFFFF);
    put16(f, v >> 16);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: %s OUT.wav [BARS [BPM]]\n", argv[0]);
        return 1;
    }
    int bars = argc > 2 ? atoi(argv[2]) : 8;
    double bpm = argc > 3 ? atof(argv[3]) : 120;
    if (bars < 1 || bars > 200 || !(bpm >= 40 && bpm <= 240)) {
        fprintf(stderr, "%s: BARS must be 1 to 200 and BPM 40 to 240\n", argv[0]);
        return 1;
    }
    double beat = 60.0 / bpm;
    long per_beat = lround(beat * RATE);
    long n = per_beat * 4 * bars + RATE / 2; /* and a short tail */
    float *m = calloc((size_t)n, sizeof *m);
    if (!m) {
        fprintf(stderr, "%s: out of memory\n", argv[0]);
        return 1;
    }
    /* C G Am F: roots (MIDI) and triads. */
    static const int roots[4] = {48, 43, 45, 41};
    static const int chords[4][3] = {{60, 64, 67}, {59, 62, 67}, {57, 60, 64}, {57, 60, 65}};
    for (int bar = 0; bar < bars; bar++) {
        int c = bar % 4;
        for (int b = 0; b < 4; b++) {
            long s = per_beat * (4L * bar + b);
            kick(m, n, s);
            hat(m, n, s + per_beat / 2, 0.25);
            if (b == 1 || b == 3)
                snare(m, n, s);
            /* bass: eighth notes on the root, the octave on the off-beat */
            note(m, n, s, per_beat / 2 - RATE / 100, roots[c], 0.22, 5);
            note(m, n, s + per_beat / 2, per_beat / 2 - RATE / 100, roots[c] + 12, 0.15, 5);
            /* chords: a stab on each off-beat */
            for (int k = 0; k < 3; k++)
                note(m, n, s + per_beat / 2, per_beat / 3, chords[c][k], 0.06, 3);
        }
    }
    /* Peak at -3 dBFS, a fade over the last half second. */
    double peak = 1e-9;
    for (long i = 0; i < n; i++)
        peak = fmax(peak, fabs(m[i]));
    double g = 0.708 / peak;
    FILE *f = fopen(argv[1], "wb");
    if (!f) {
        perror(argv[1]);
        free(m);
        return 1;
    }
    uint32_t bytes = (uint32_t)n * 4;
    fputs("RIFF", f);
    put32(f, 36 + bytes);
    fputs("WAVEfmt ", f);
    put32(f, 16);
    put16(f, 1);        /* PCM */
    put16(f, 2);        /* stereo */
    put32(f, RATE);
    put32(f, RATE * 4);
    put16(f, 4);
    put16(f, 16);
    fputs("data", f);
    put32(f, bytes);
    for (long i = 0; i < n; i++) {
        double fade = n - i < RATE / 2 ? (double)(n - i) / (RATE / 2) : 1.0;
        long v = lround(m[i] * g * fade * 32767);
        v = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
        put16(f, (unsigned)(v & 0xFFFF));
        put16(f, (unsigned)(v & 0xFFFF));
    }
    free(m);
    if (fclose(f) != 0) {
        perror(argv[1]);
        return 1;
    }
    return 0;
}
