#pragma once
#include <vector>

#include "fit/fit_observation.hpp"

namespace gs::test {

// Terms unlike any built-in GPU's: what a fit must find back.
ModelTerms perturbed_terms();

// The seed job's QK^T at head dimensions 1, 1 + step, ... up to 1024, and plain GEMMs small
// enough that the launch floor shows, timed by the model on `truth`, each time multiplied by
// exp(noise x a standard normal) from a fixed seed.
std::vector<FitObservation> synthetic_rows(const GpuSpec& truth, int head_dim_step, double noise,
                                           unsigned seed = 7);

// fp16 GEMMs whose 256x128 tiles leave a partial last wave on 132 SMs (outputs of 160 and 288
// tiles: 1.2 and 2.2 waves), reductions 1024..16384, timed on `truth`: rows that tell a
// stream-K schedule from whole waves.
std::vector<FitObservation> partial_wave_rows(const GpuSpec& truth);

// The seed grid alone (head dimensions 1..1024 in `step`s, from `first`), timed on `truth`.
std::vector<FitObservation> seed_grid_rows(const GpuSpec& truth, int first, int step);
// A quarter of the seed grid: every 4th head dimension, the offset turning (1, 6, 11, 16, 17,
// ...) so that every alignment class is sampled; every 4th from a fixed offset would be one
// residue mod 4, a single class for odd offsets.
std::vector<FitObservation> seed_grid_quarter(const GpuSpec& truth);

}  // namespace gs::test
