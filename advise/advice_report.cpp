#include "advise/advice_report.hpp"

#include <fmt/format.h>

#include <cmath>

namespace gs {
namespace {

std::string row_line(const CandidateAdvice& a) {
  const Candidate& c = a.candidate;
  return fmt::format(
      "{:>5} {:>10.0f} {:>6} {:>9.2f} {:>9.3f} {:>8.3f}B  h {:<5} a {:<3} d {:<4} L {:<3} v {:<6} "
      "ffn {:<6} b {} s {} t {} {:<5} {:<16} {:<4} {}{}\n",
      a.rank, a.tokens_per_s,
      std::isnan(a.mfu) ? std::string("n/a") : fmt::format("{:.1f}%", 100 * a.mfu),
      1e3 * a.step.step_time_s, 1e3 * a.step.layer_time_s, a.params.total / 1e9, c.hidden_size,
      c.heads, c.head_dim, c.layers, c.padded_vocab, c.ffn_hidden_size, c.microbatch, c.seq_length,
      c.tensor_parallel, to_string(c.dtype), rules_text(a.rules), a.fits ? "yes" : "no",
      a.ties_best && a.rank > 1 ? "tie" : "", a.baseline ? " <- baseline" : "");
}

}  // namespace

std::string advice_notes(const AdviseJob& job, const Advice& advice, const AdviceContext& ctx) {
  std::string n;
  n += "a step is forward + backward of one microbatch on one tensor-parallel group: no optimizer, "
       "no pipeline, no data-parallel gradient reduction; softmax, norms, dropout and fused "
       "attention are left out (GEMMs and tensor-parallel all-reduces only)\n";
  n += fmt::format(
      "parameters N = L*(4h^2 + {}*h*ffn) + {}v*h (embeddings {}; biases, norms, positions left "
      "out); FLOPs use L*(4h^2 + {}*h*ffn) + v*h (the input embedding is a lookup)\n",
      job.advise.mlp == MlpKind::swiglu ? 3 : 2, job.advise.tied_embeddings ? "" : "2",
      job.advise.tied_embeddings ? "tied" : "not tied", job.advise.mlp == MlpKind::swiglu ? 3 : 2);
  n += "model FLOPs per token = 6*N_flops + 12*L*h*s (PaLM's MFU; attention counted in full, not "
       "causal); MFU against the dense peak of the dtype\n";
  n += fmt::format(
      "memory = 16 bytes/parameter / t (mixed-precision Adam) + activations (Korthikanti et al., "
      "recompute {}) + fp32 logits\n",
      to_string(job.advise.recompute));
  std::size_t estimated_backward = 0, comm = 0, predicted = 0;
  for (const CandidateAdvice& a : advice.rows) {
    if (a.rank == 0) continue;
    estimated_backward += a.step.backward_measured ? 0 : 1;
    comm += a.step.comm_estimated ? 1 : 0;
    predicted += a.step.measured ? 0 : 1;
  }
  if (estimated_backward)
    n += fmt::format(
        "{} candidate(s) without measured backward products: backward = 2 x forward "
        "(step = 3 x forward){}\n",
        estimated_backward, " (fp8 backward is out of scope)");
  if (comm)
    n += fmt::format(
        "{} candidate(s) with t > 1 use the all-reduce estimate (no all_reduce row "
        "of that size in the file)\n",
        comm);
  if (ctx.missing_products)
    n += fmt::format("{} of the {} distinct GEMMs have no row in the file (e.g. {})\n",
                     ctx.missing_products, job.plan.products.size(), ctx.missing_example);
  if (predicted)
    n += fmt::format("{} candidate(s) have products predicted by the model (measured = 0)\n",
                     predicted);
  if (advice.unranked)
    n += fmt::format("{} candidate(s) not ranked: some forward product has no row{}\n",
                     advice.unranked,
                     ctx.predicted_missing ? "" : " (--predict-missing fills them from the model)");
  if (std::isnan(advice.best ? advice.rows[*advice.best].mfu : 0.0))
    n += "MFU is NaN: the backend has no dense peak (cpu)\n";
  n += "ties: a candidate ties the best when the gap in time per token is within both candidates' "
       "summed confidence half-widths (rel_ci of each row; 0 on the model backend)\n";
  return n;
}

std::string render_advice(const AdviseJob& job, const Advice& advice, const AdviceContext& ctx) {
  const AdvisePlan& plan = job.plan;
  std::string s;
  s += fmt::format(
      "advise: {}: {} candidates ({} combinations, {} dropped), {} distinct GEMMs for {} "
      "products (ratio {:.4f})\n",
      job.spec.name, plan.candidates.size(), plan.considered, plan.dropped, plan.products.size(),
      plan.product_uses,
      plan.product_uses
          ? static_cast<double>(plan.products.size()) / static_cast<double>(plan.product_uses)
          : 0.0);
  s += fmt::format(
      "times from {} (backend {}, {}); tokens/s per GPU, layer ms: the forward of one layer\n",
      ctx.results_path, ctx.backend, ctx.device);
  s += fmt::format("{:>5} {:>10} {:>6} {:>9} {:>9} {:>9}  {:<67} {:<16} {:<4} {}\n", "rank",
                   "tokens/s", "MFU", "step ms", "layer ms", "params", "shape", "rules met", "fits",
                   "ties");
  const std::size_t top =
      std::min<std::size_t>(static_cast<std::size_t>(job.advise.top), advice.order.size());
  for (std::size_t r = 0; r < top; ++r) s += row_line(advice.rows[advice.order[r]]);
  if (advice.baseline) {
    const CandidateAdvice& base = advice.rows[*advice.baseline];
    if (static_cast<std::size_t>(base.rank) > top) s += "  ...\n" + row_line(base);
    s += fmt::format("baseline rank {} of {}: the best is {:.3f}x its tokens/s ({:+.1f}%)\n",
                     base.rank, advice.order.size(), advice.speedup, 100 * (advice.speedup - 1));
    s += "GEMMs that make the difference (microseconds per token per GPU, forward + backward, "
         "best vs baseline):\n";
    for (std::size_t i = 0; i < advice.differences.size() && i < 4; ++i) {
      const OpDifference& d = advice.differences[i];
      s += fmt::format("  {:<28} {:>8.3f} vs {:>8.3f}\n", to_string(d.op), 1e6 * d.best_s_per_token,
                       1e6 * d.baseline_s_per_token);
    }
  } else if (job.advise.baseline) {
    s += "baseline: not ranked (some of its products have no row)\n";
  }
  s += "notes:\n";
  const std::string notes = advice_notes(job, advice, ctx);
  for (std::size_t at = 0; at < notes.size();) {
    const std::size_t end = notes.find('\n', at);
    s += "  - " + notes.substr(at, end - at) + "\n";
    at = end + 1;
  }
  return s;
}

std::string render_advise_plan(const AdviseJob& job) {
  const AdvisePlan& p = job.plan;
  std::string s;
  s += fmt::format("job:            {} (advise)\n", job.spec.name);
  s += fmt::format("combinations:   {}\n", p.considered);
  s += fmt::format("candidates:     {}\n", p.candidates.size());
  s += fmt::format("dropped:        {}\n", p.dropped);
  for (const auto& [cls, v] : p.dropped_by_reason)
    s += fmt::format("  {:>8}  {} (e.g. {})\n", v.first, cls, v.second);
  s += fmt::format("products:       {} over all candidates\n", p.product_uses);
  s += fmt::format(
      "distinct GEMMs: {} (ratio {:.4f})\n", p.products.size(),
      p.product_uses ? static_cast<double>(p.products.size()) / static_cast<double>(p.product_uses)
                     : 0.0);
  if (p.baseline) s += fmt::format("baseline:       {}\n", describe(p.candidates[*p.baseline]));
  return s;
}

}  // namespace gs
