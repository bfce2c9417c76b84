/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the benchmark helpers share: a monotonic clock in nanoseconds,
 * CPU pinning, and one JSON line of latency figures.  Percentiles are
 * nearest-rank (the ceil(p/100 * n)-th smallest sample), the same
 * definition bench/invoke.py uses for the Python figures.
 */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline uint64_t now_ns(void)
{
	struct timespec ts = { 0 };

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Pin the calling process (and what it forks later) to one CPU; 0 or -1. */
static inline int pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static inline int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a;
	uint64_t y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted samples, in microseconds. */
static inline double percentile_us(const uint64_t *sorted, size_t n,
				   unsigned int p)
{
	size_t rank = (n * p + 99) / 100;

	if (rank == 0)
		rank = 1;
	return (double)sorted[rank - 1] / 1000.0;
}

/*
 * Sort the samples (nanoseconds) and print one JSON object, then `end`:
 * {"n":..,"p50_us":..,"p99_us":..,"min_us":..,"max_us":..,"mean_us":..}
 */
static inline void print_stats(uint64_t *samples, size_t n, const char *end)
{
	double sum = 0.0;

	qsort(samples, n, sizeof(*samples), cmp_u64);
	for (size_t i = 0; i < n; i++)
		sum += (double)samples[i];
	printf("{\"n\": %zu, \"p50_us\": %.3f, \"p99_us\": %.3f, "
	       "\"min_us\": %.3f, \"max_us\": %.3f, \"mean_us\": %.3f}%s",
	       n, percentile_us(samples, n, 50), percentile_us(samples, n, 99),
	       (double)samples[0] / 1000.0, (double)samples[n - 1] / 1000.0,
	       sum / (double)n / 1000.0, end);
	fflush(stdout);
}

#endif /* BENCH_STATS_H */
