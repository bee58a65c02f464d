#pragma once
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "advise/advise_spec.hpp"
#include "advise/candidate.hpp"
#include "io/result_row.hpp"

namespace gs::test {

// The fixture's candidate (data/layer_rows.csv): h 128, a 2, d 64, L 2, v 256, ffn 512, b 1,
// s 32, t 1, fp16, GELU.
inline Candidate tiny_candidate() {
  Candidate c;
  c.hidden_size = 128;
  c.heads = 2;
  c.head_dim = 64;
  c.layers = 2;
  c.vocab_size = c.padded_vocab = 256;
  c.ffn_hidden_size = 512;
  c.microbatch = 1;
  c.seq_length = 32;
  c.tensor_parallel = 1;
  return c;
}

// A table over h {128, 256}, heads 2, L {2, 4}, v 256, s 32 whose budget takes them all.
inline AdviseSpec tiny_spec() {
  AdviseSpec s;
  s.params = {2e6, 0.9};
  s.hidden_size.values = {128, 256};
  s.heads.values = {2};
  s.layers.values = {2, 4};
  s.vocab_size.values = {256};
  s.seq_length.values = {32};
  return s;
}

// Rows of a CSV fixture: op,dtype,batch,m,n,k,time_ms,rel_ci,status ('#' lines are comments).
inline std::vector<ResultRow> read_rows_fixture(const std::string& name) {
  std::ifstream in(std::string(GEMMSWEEP_SOURCE_DIR) + "/tests/advise/data/" + name);
  std::vector<ResultRow> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::stringstream ss(line);
    std::vector<std::string> f;
    for (std::string cell; std::getline(ss, cell, ',');) f.push_back(cell);
    ResultRow r;
    r.op = f.at(0);
    r.dtype = f.at(1);
    r.batch = std::stoll(f.at(2));
    r.m = std::stoll(f.at(3));
    r.n = std::stoll(f.at(4));
    r.k = std::stoll(f.at(5));
    r.time_s = std::stod(f.at(6)) * 1e-3;
    r.rel_ci = std::stod(f.at(7));
    r.status = f.at(8);
    rows.push_back(r);
  }
  return rows;
}

}  // namespace gs::test
