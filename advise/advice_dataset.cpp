#include "advise/advice_dataset.hpp"

#include <cstring>

#include "io/h5_attributes.hpp"
#include "io/h5_file.hpp"
#include "io/h5_handle.hpp"
#include "io/writer_lock.hpp"

namespace gs {
namespace {

#define GS_ADVICE_FIELD(name, kind)                                                        \
  AdviceField {                                                                            \
#name, offsetof(AdviceRecord, name), AdviceFieldKind::kind, sizeof(AdviceRecord::name) \
  }

H5Type file_type_of(const AdviceField& f) {
  switch (f.kind) {
    case AdviceFieldKind::int64:
      return H5Type(H5_CHECK(H5Tcopy(H5T_NATIVE_INT64)));
    case AdviceFieldKind::int32:
      return H5Type(H5_CHECK(H5Tcopy(H5T_NATIVE_INT32)));
    case AdviceFieldKind::float64:
      return H5Type(H5_CHECK(H5Tcopy(H5T_NATIVE_DOUBLE)));
    case AdviceFieldKind::text:
      break;
  }
  H5Type t(H5_CHECK(H5Tcopy(H5T_C_S1)));
  H5_CHECK(H5Tset_size(t.get(), f.size));
  H5_CHECK(H5Tset_strpad(t.get(), H5T_STR_NULLPAD));
  return t;
}

H5Type record_type() {
  H5Type compound(H5_CHECK(H5Tcreate(H5T_COMPOUND, sizeof(AdviceRecord))));
  for (const AdviceField& f : advice_fields())
    H5_CHECK(H5Tinsert(compound.get(), f.name, f.offset, file_type_of(f).get()));
  return compound;
}

template <std::size_t N>
void copy_text(char (&out)[N], std::string_view text) {
  std::memset(out, 0, N);
  std::memcpy(out, text.data(), std::min(N, text.size()));
}

}  // namespace

const std::vector<AdviceField>& advice_fields() {
  static const std::vector<AdviceField> fields = {
      GS_ADVICE_FIELD(hidden_size, int64),
      GS_ADVICE_FIELD(heads, int64),
      GS_ADVICE_FIELD(head_dim, int64),
      GS_ADVICE_FIELD(layers, int64),
      GS_ADVICE_FIELD(vocab_size, int64),
      GS_ADVICE_FIELD(padded_vocab, int64),
      GS_ADVICE_FIELD(ffn_hidden_size, int64),
      GS_ADVICE_FIELD(microbatch, int64),
      GS_ADVICE_FIELD(seq_length, int64),
      GS_ADVICE_FIELD(tensor_parallel, int64),
      GS_ADVICE_FIELD(dtype, text),
      GS_ADVICE_FIELD(params, float64),
      GS_ADVICE_FIELD(flop_params, float64),
      GS_ADVICE_FIELD(layer_time_s, float64),
      GS_ADVICE_FIELD(step_time_s, float64),
      GS_ADVICE_FIELD(spread_s, float64),
      GS_ADVICE_FIELD(tokens_per_s, float64),
      GS_ADVICE_FIELD(flops_per_token, float64),
      GS_ADVICE_FIELD(mfu, float64),
      GS_ADVICE_FIELD(memory_gib, float64),
      GS_ADVICE_FIELD(rank, int32),
      GS_ADVICE_FIELD(baseline, int32),
      GS_ADVICE_FIELD(measured, int32),
      GS_ADVICE_FIELD(backward_measured, int32),
      GS_ADVICE_FIELD(comm_estimated, int32),
      GS_ADVICE_FIELD(fits, int32),
      GS_ADVICE_FIELD(ties_best, int32),
      GS_ADVICE_FIELD(rules_met, int32),
      GS_ADVICE_FIELD(rules, text),
  };
  return fields;
}

AdviceRecord make_advice_record(const CandidateAdvice& a) {
  const Candidate& c = a.candidate;
  AdviceRecord r{};
  r.hidden_size = c.hidden_size;
  r.heads = c.heads;
  r.head_dim = c.head_dim;
  r.layers = c.layers;
  r.vocab_size = c.vocab_size;
  r.padded_vocab = c.padded_vocab;
  r.ffn_hidden_size = c.ffn_hidden_size;
  r.microbatch = c.microbatch;
  r.seq_length = c.seq_length;
  r.tensor_parallel = c.tensor_parallel;
  copy_text(r.dtype, to_string(c.dtype));
  r.params = a.params.total;
  r.flop_params = a.params.flop_params;
  r.layer_time_s = a.step.layer_time_s;
  r.step_time_s = a.step.step_time_s;
  r.spread_s = a.step.spread_s;
  r.tokens_per_s = a.tokens_per_s;
  r.flops_per_token = a.flops_per_token;
  r.mfu = a.mfu;
  r.memory_gib = a.memory.total() / double(1ull << 30);
  r.rank = a.rank;
  r.baseline = a.baseline ? 1 : 0;
  r.measured = a.step.complete && a.step.measured ? 1 : 0;
  r.backward_measured = a.step.backward_measured ? 1 : 0;
  r.comm_estimated = a.step.comm_estimated ? 1 : 0;
  r.fits = a.fits ? 1 : 0;
  r.ties_best = a.ties_best ? 1 : 0;
  r.rules_met = static_cast<std::int32_t>(a.rules);
  copy_text(r.rules, rules_text(a.rules));
  return r;
}

void write_advice(const std::string& path, const std::vector<AdviceRecord>& records,
                  const std::string& notes) {
  check_is_hdf5(path);
  WriterLock lock = WriterLock::acquire(path);
  H5Plist access = make_file_access();
  H5File file(H5_CHECK(H5Fopen(path.c_str(), H5F_ACC_RDWR, access.get())));
  if (H5_CHECK(H5Lexists(file.get(), kAdviceDataset, H5P_DEFAULT)) > 0)
    H5_CHECK(H5Ldelete(file.get(), kAdviceDataset, H5P_DEFAULT));  // a rerun replaces it
  const H5Type type = record_type();
  const hsize_t rows = records.size();
  H5Space space(H5_CHECK(H5Screate_simple(1, &rows, nullptr)));
  H5Dataset dataset(H5_CHECK(H5Dcreate2(file.get(), kAdviceDataset, type.get(), space.get(),
                                        H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)));
  if (!records.empty())
    H5_CHECK(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, records.data()));
  write_text_attribute(dataset.get(), "notes", notes);
  dataset.close();
  file.close();
}

std::vector<AdviceRecord> read_advice(const std::string& path) {
  H5File file = open_for_read(path);
  H5Dataset dataset(H5_CHECK(H5Dopen2(file.get(), kAdviceDataset, H5P_DEFAULT)));
  H5Space space(H5_CHECK(H5Dget_space(dataset.get())));
  const hssize_t rows = H5_CHECK(H5Sget_simple_extent_npoints(space.get()));
  std::vector<AdviceRecord> records(static_cast<std::size_t>(rows));
  const H5Type type = record_type();
  if (rows > 0)
    H5_CHECK(H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, records.data()));
  return records;
}

}  // namespace gs
