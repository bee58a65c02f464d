#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "advise/ranking.hpp"

namespace gs {

inline constexpr const char* kAdviceDataset = "advice";

// One row of /advice, one per candidate (docs/advise.md lists every field).
struct AdviceRecord {
  std::int64_t hidden_size, heads, head_dim, layers, vocab_size, padded_vocab, ffn_hidden_size,
      microbatch, seq_length, tensor_parallel;
  char dtype[8];
  double params, flop_params, layer_time_s, step_time_s, spread_s, tokens_per_s, flops_per_token,
      mfu, memory_gib;
  std::int32_t rank, baseline, measured, backward_measured, comm_estimated, fits, ties_best,
      rules_met;
  char rules[24];
};

enum class AdviceFieldKind { int64, int32, float64, text };

// The dataset's columns: their names, where they sit in AdviceRecord and how HDF5 stores them.
// The single definition of the schema: the writer, the reader and the tests use this table.
struct AdviceField {
  const char* name;
  std::size_t offset;
  AdviceFieldKind kind;
  std::size_t size;
};
const std::vector<AdviceField>& advice_fields();

AdviceRecord make_advice_record(const CandidateAdvice& a);

// Writes (or replaces) /advice in an existing, closed results file, with `notes` (the output's
// assumptions, one per line) as its attribute. Takes the file's writer lock meanwhile.
void write_advice(const std::string& path, const std::vector<AdviceRecord>& records,
                  const std::string& notes);
std::vector<AdviceRecord> read_advice(const std::string& path);

}  // namespace gs
