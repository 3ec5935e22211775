/* burn.c - the smallest program that burns captions through libzimu.
 *
 *   cc burn.c -o burn $(pkg-config --cflags --libs zimu)
 *   ./burn in.mp4 in.srt out.mp4
 */
#include <stdio.h>
#include <zimu.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s INPUT SUBS OUTPUT\n", argv[0]);
        return 1;
    }
    zimu_job *job = zimu_job_new();
    zimu_job_set_input(job, argv[1]);
    zimu_job_set_subtitles(job, argv[2]);
    zimu_job_set_output(job, argv[3]);
    int r = zimu_job_run(job);
    if (r < 0)
        fprintf(stderr, "burn: %s\n", zimu_job_errmsg(job));
    zimu_job_free(&job);
    return r < 0;
}
