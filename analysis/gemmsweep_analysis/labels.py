"""Human names for ops, columns, devices and group values, shared by every chart."""

import unicodedata

OP_TITLES = {
    "attention_score": "Attention key-query score (QK^T)",
    "attention_over_value": "Attention over values (AV)",
    "qkv_transform": "QKV transform",
    "attention_linear_projection": "Attention linear projection",
    "mlp_h_to_4h": "MLP h to 4h",
    "mlp_4h_to_h": "MLP 4h to h",
    "logit": "Logit",
    "gemm": "GEMM",
    "bmm": "Batched GEMM",
    "all_reduce": "All-reduce",
    "all_gather": "All-gather",
    "reduce_scatter": "Reduce-scatter",
    "broadcast": "Broadcast",
    "all_to_all": "All-to-all",
}

AXIS_NAMES = {
    "hidden_size": "Hidden size h",
    "head_dim": "Head dimension h/a",
    "heads": "Attention heads a",
    "microbatch": "Microbatch b",
    "seq_length": "Sequence length s",
    "tensor_parallel": "Tensor-parallel size t",
    "vocab_size": "Vocabulary size v",
    "batch": "Batch",
    "m": "m",
    "n": "n (reduction)",
    "k": "k",
    "flops": "FLOPs per call",
    "tflops": "Throughput (TFLOP/s)",
    "time_s": "Median time (s)",
    "roof_fraction": "Fraction of roofline bound",
    "message_bytes": "Message size (bytes)",
    "group_size": "Ranks per collective",
    "algbw_gbs": "Algorithm bandwidth (GB/s)",
    "busbw_gbs": "Bus bandwidth (GB/s)",
    "intensity": "Arithmetic intensity (FLOP/byte)",
}

# Short prefixes for group values in legends ("a=32", "s=2048").
VALUE_PREFIX = {
    "heads": "a=",
    "head_dim": "h/a=",
    "hidden_size": "h=",
    "microbatch": "b=",
    "seq_length": "s=",
    "tensor_parallel": "t=",
    "vocab_size": "v=",
    "batch": "batch=",
    "m": "m=",
    "n": "n=",
    "k": "k=",
    "group_size": "n=",
}


def op_title(op):
    return OP_TITLES.get(op, op)


def axis_name(column):
    return AXIS_NAMES.get(column, column)


def device_name(device):
    """'model:A100' reads as 'A100 (analytic model)'; real device names stay as they are."""
    device = str(device)
    if device.startswith("model:"):
        return f"{device[len('model:'):]} (analytic model)"
    return device


def value_label(column, value):
    if column == "pow2":
        return f"h/a divisible by {int(value)}" if int(value) > 0 else "all shapes"
    if column == "device":
        return device_name(value)
    if column in VALUE_PREFIX:
        return f"{VALUE_PREFIX[column]}{_number(value)}"
    if column == "dtype":
        return str(value)
    return f"{column}={_number(value)}"


def _number(value):
    try:
        as_float = float(value)
    except (TypeError, ValueError):
        return str(value)
    return str(int(as_float)) if as_float.is_integer() else f"{as_float:g}"


def printable(text, limit=None):
    """text with each control or unassigned character written as its escape ('\\x07'), so that
    a job or device name cannot break a line of an error message or a chart title; limit cuts
    it to that many characters (with '...') where a whole value would drown the message."""
    text = "".join(ascii(ch)[1:-1] if unicodedata.category(ch).startswith("C") else ch
                   for ch in str(text))
    if limit is not None and len(text) > limit:
        return text[:limit] + "..."
    return text
