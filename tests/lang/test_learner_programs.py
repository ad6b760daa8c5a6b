"""Learner programs held apart from the rest of the suite (tests/data/learner_programs): what a
PyTorch learner or tester writes after the autograd tutorials (basics, leaf and non-leaf
tensors, fits with tensors and autograd, custom Functions, autograd mechanics, hooks,
forward AD, torch.func, printing, errors, generators, devices, nn/optim without matmul). Each
prints exactly what PyTorch 2.13 printed (NAME.out, recorded by
tools/record_learner_programs.py) both ways: run by gradsh as a .grad program, and run by
Python with `import gradsh as torch` (tests/data/learner_programs/runner.py). Programs that
differ for a documented reason are strict xfails (KNOWN, docs/autograd.md "What differs")."""

import io
import json
import pathlib
import select
import subprocess
import sys

import pytest

import cpu_capability

import gradsh
from gradsh.lang import GradshError, Session

DATA = pathlib.Path(__file__).resolve().parent.parent / "data" / "learner_programs"
sys.path.insert(0, str(DATA))
import runner  # noqa: E402

NAMES = sorted(p.stem for p in DATA.glob("*.grad"))

# program -> why it differs from PyTorch (docs/autograd.md, "What differs from PyTorch")
FLOAT32_SIN = "float32 sin is MKL VML's in PyTorch (closed source), rounded from float64 here: last bits of the fitted losses"
FLOAT32_VML_LAST_BIT = ("float32 cos and log are MKL VML's in PyTorch (closed source), rounded "
                        "from float64 here: the last bit of cos(1.) and log(1.5) in the gradients")
COMPLEX32 = ("float16 with a complex number or a 0-d complex tensor is a complex32 "
             "(ComplexHalf) tensor in PyTorch; gradsh has no complex32 tensors (numpy has no such "
             "type) and raises TypeError")
MATMUL32 = ("float32 matmuls (nn.Linear, RNN/LSTM cells, x @ w and their gradients): MKL's "
            "sgemm orders its sums by shape, numpy's BLAS otherwise (docs/nn.md, branch adv4c's "
            "'Found and left'); losses printed with all digits differ from the 7th digit")
MATMUL64 = ("float64 matmuls (float64 nn.Linear and mm, their gradients): MKL's dgemm sums in "
            "another order than numpy's BLAS; losses printed with all digits differ in the last one")
KNOWN = {
    "adv8e_cplx_cholesky_hermitian": "complex Cholesky: PyTorch's LAPACK leaves -0. in the "
                                     "imaginary part of one diagonal entry, numpy's +0. (the "
                                     "values agree; docs/autograd.md, branch cplxdist)",
    "adv8e_cplx_lu_rect_grad": "complex LU of a wide matrix: a gradient entry PyTorch's trsm "
                               "gives as exactly 1.0 is 1.0 - 5.6e-17j here (BLAS rounding)",
    "adv8e_cplx_matrix_exp": "matrix_exp of diag(i pi): PyTorch's Taylor polynomial leaves "
                             "1.3e-15j where the [13/13] Pade approximant leaves 2.4e-16j",
    "adv5e_fft_ops": "float32 FFTs are MKL's in PyTorch (closed source): irfft(rfft(x)) leaves "
                     "-2.98e-08 where numpy's pocketfft gives 0.",
    "adv5e_linalg_grads": "float64 inv(A) @ A: LAPACK's blocked kernels leave other rounding "
                          "noise (1e-17) off the diagonal",
    "adv5e_linalg_batched": "float32 (U * S) @ Vh of an SVD: LAPACK's rounding noise differs "
                            "(2.6e-08 where PyTorch's rounds to 0.)",
    "adv5e_dist_shapes": "MultivariateNormal.precision_matrix of an identity scale: PyTorch's "
                         "LAPACK cholesky_inverse leaves -0. off the diagonal, gradsh 0.",
    "fit_dynamic_poly_no_nn": "float64 x ** 4 and x ** 5 differ from PyTorch's in the last bit "
                              "of 1 and 3 of the 50 points (the sums now add in PyTorch's order)",
    "fit_legendre_function": FLOAT32_SIN,
    "fit_poly_tensors_short": FLOAT32_SIN,
    "modules_without_matmul": "float32 gelu: PyTorch's vectorised erf rounds otherwise",
    "ops_elementwise_table": "float64 tanh, sigmoid and sinh: the last bit of a few values",
    "lpe_nn_sequential_poly": "a diverging fit (lr too large for 100 points): float32 matmul and "
                              "sum round otherwise in the last bit, grown to the 5th digit of "
                              "a 1e32 loss by step 49",
    # --- programs7 ---
    # --- p10 (PyTorch's tutorials) ---
    "p10_lpe_tensors_manual_poly": FLOAT32_SIN,
    # (p10_model_ensembling_meta_base passes since fid21: the 'meta' device)
    # --- adv (issue 15's adversarial programs) ---
    "adv_ag_shared_subexpr": FLOAT32_VML_LAST_BIT,
    # --- adv4b (issue 15's adversarial tensor programs) ---
    "adv4b_dt_promotion_python_scalars": COMPLEX32,
    "adv4b_dt_promotion_tensor_pairs": COMPLEX32,
    # --- adv5c (adversarial tensor programs: creation, printing, dtypes, reductions, shapes) ---
    "adv5c_rd_float16_prod_lanes": "float16 / bfloat16 prod(): PyTorch's vectorised CPU kernel "
                                   "keeps partial products in the low precision in an order of "
                                   "its lanes and unrolled accumulators (CPU-dependent); gradsh "
                                   "multiplies in order (as cumprod, which matches)",
    # --- adv4c (issue 15's adversarial nn/optim/data programs) ---
    # --- adv4a (issue 15's adversarial autograd-engine programs) ---
    "adv4a_db_losses": "float64 rounding noise (1e-21..1e-17) of Hessian entries that are "
                       "mathematically zero (cross-entropy / NLL / KL through log_softmax's "
                       "double backward): PyTorch's vectorised exp and sums round otherwise",
    "adv4a_db_norms": "float64 rounding noise (1e-16..1e-15) of mathematically zero second "
                      "derivatives through layer_norm / batch_norm (PyTorch's fused kernels "
                      "sum in another order)",
    "adv4a_db_activations": "softsign's second derivative at 0 is -0. in PyTorch: sgn's "
                            "backward gives an 'efficient zero tensor' whose addition leaves "
                            "the other path's -0. as it is; gradsh adds real zeros (+0.)",
    # --- adv5a (issue 15's adversarial programs from PyTorch's autograd docs and tutorials) ---
    # --- adv5b (adversarial programs from PyTorch's own nn/optim tutorials) ---
    **dict.fromkeys(
        ["adv5b_char_nn_rnn_batched_clip", "adv5b_clip_grad_norm_types",
         "adv5b_clip_in_training_loop", "adv5b_lpe_nn_flatten_powers",
         "adv5b_lpe_optim_adam_sequential", "adv5b_lpe_optim_rmsprop_sum",
         "adv5b_lstm_tagger_tutorial", "adv5b_omp_hyperparams_optimizers",
         "adv5b_opt_step_closure_and_lr_tensor", "adv5b_pg_per_group_lr_decay_loop",
         "adv5b_pg_weight_decay_no_decay", "adv5b_sl_checkpoint_resume",
         "adv5b_wnr_fit_loss_batch_numpy"], MATMUL32),
    **dict.fromkeys(
        ["adv5b_lpe_numpy_two_layer", "adv5b_lpe_sgd_vs_manual_update",
         "adv5b_lpe_two_layer_net_module"], MATMUL64),
    "adv5b_init_edge_tensors": "nn.init.orthogonal_: float32 QR is MKL's LAPACK in PyTorch and "
                               "numpy's here: the last bits of Q, so o @ o.t() prints other "
                               "rounding noise where it is mathematically 0",
    "adv5b_tf_encoder_layer_eval": "the sum of a LayerNorm output row (rounding noise of 0): "
                                   "layer_norm is PyTorch's kernel order (branch f32norm), but "
                                   "its input comes out of the layer's float32 matmuls, whose "
                                   "last bits differ",
    # --- adv8a (whole programs after pytorch/examples and PyTorch's recipes) ---
    **dict.fromkeys(
        ["adv8a_actor_critic_normal", "adv8a_autoencoder_denoise_f64",
         "adv8a_evolution_strategy_param_vector", "adv8a_grad_accumulation_microbatch",
         "adv8a_multitask_two_heads_weighted", "adv8a_optim_custom_subclass_step",
         "adv8a_recipe_general_checkpoint", "adv8a_reg_poly_features_f64",
         "adv8a_style_gram_instancenorm"], MATMUL64),
    "adv8a_lm_word_gru_generate": MATMUL32 + " (a float32 gradient's sum printed in full)",
    "adv8a_ts_lstmcell_sine": FLOAT32_SIN + " (the sine waves are float32 before .double(), "
                              "as in pytorch/examples), then float64 LSTMCell matmuls",
    "adv8a_gcn_dense_adjacency": "float64 adjacency matmuls (" + MATMUL64.split(" (")[0] + ")",
    # --- adv9g (training programs: every optimizer, scheduler, nn.utils, utils.data) ---
    **dict.fromkeys(
        ["adv9g_opt_adam_adamw_flag_grid", "adv9g_opt_nadam_radam_decoupled"],
        "float64 Adam/AdamW/NAdam parameters printed with all digits: PyTorch's float64 sqrt "
        "is MKL VML's (off by one unit in the last place in ~1.3% of values, at any size), "
        "numpy's is correctly rounded; a few parameters differ in the last digit"),
    "adv9g_fit_logistic_splits_sgd_exact": "float64 binary_cross_entropy_with_logits through "
                                           "log_sigmoid: PyTorch's log1p is SLEEF's (about 8% of "
                                           "values differ in the last bit from numpy's): one "
                                           "epoch's summed loss differs in the last digit",
    "adv8d_double_backward_modules": "LayerNorm's float32 double backward: a grad-of-grad of "
                                     "86.53 carries float32 cancellation noise in its 6th "
                                     "digit (86.5312 in PyTorch, 86.5311 here); in float64 "
                                     "the two agree to 1e-14 (tests/nn/test_nn_modules_sweep.py)",
    # --- adv12a (adversarial training programs: data, optim, lr_scheduler, nn.utils) ---
    "adv12a_fit_polynomial_each_optimizer": "float64 Adam/AdamW: PyTorch's sqrt is MKL VML's "
                                            "(one unit in the last place below the rounded root "
                                            "in ~1% of values), numpy's correctly rounded: two "
                                            "losses differ in the last digit (exact with "
                                            "PyTorch's sqrt swapped in)",
    "adv12a_opt_float32_small_steps": "float32 Adadelta: PyTorch's sqrt is MKL VML's (about 20% "
                                      "of float32 roots are one unit lower than numpy's "
                                      "correctly rounded ones): one printed entry differs in "
                                      "its 7th digit (exact with PyTorch's sqrt swapped in)",
    "adv12a_fit_grad_accumulation_scaled": "float64 tanh is MKL VML's in PyTorch (closed source; "
                                           "about 1 value in 5 differs in the last bit from "
                                           "numpy's): the fitted weights' last digits",
    # --- adv13e (blind numerical programs: optimization, least squares, ODEs, FFT, statistics) ---
    "adv13e_fft_convolution_theorem": "a real signal's one-sided FFT: numpy's pocketfft and "
                                      "PyTorch's give some exactly-zero parts opposite signs "
                                      "(irfft's -0. where gradsh prints 0.; docs/autograd.md)",
    "adv13e_fft_lowpass_filter": "fft of a real impulse: the one-sided half's zero imaginary "
                                 "parts carry other signs in numpy's pocketfft than in "
                                 "PyTorch's (1-0.j where gradsh gives 1+0.j)",
    "adv13e_hessian_functional": "float64 linalg.solve of a 2 x 2 system: PyTorch's LAPACK "
                                 "(MKL getrf/getrs) rounds the last bit of a solution entry "
                                 "otherwise; Newton's losses differ in the last digits",
    "adv13e_opt_newton_rosenbrock": "float64 linalg.solve of 2 x 2 Hessians (as "
                                    "adv13e_hessian_functional): last bits of Newton's iterates",
    "adv13e_newton_schulz_inverse": MATMUL64,
    "adv13e_power_iteration": "float64 v @ A @ v of 3-vectors: PyTorch's dot (MKL ddot) sums "
                              "in another order than left to right; last digit of a Rayleigh "
                              "quotient",
    # --- fid23 (saved tensors, 0-d scatters, unsigned dtypes, jacobian/hessian calls) ---
    "fid23_hessian_calls": "torch.func.jacfwd and func.hessian call the function once per "
                           "column (gradsh's vmap runs per slice) where PyTorch's batched "
                           "forward mode calls it once (docs/autograd.md, branch fid23)",
    "fid23_uint_dtypes": "uint16/32/64 through the operators (a + a, a < b, -a, abs(a)) compute "
                         "where PyTorch's kernels refuse ('add_stub' not implemented for "
                         "'UInt16'): the operators' ops keep no refusal layer (docs/autograd.md)",
}
# program -> why it differs where PyTorch runs its AVX2 kernels: the .out files were recorded
# on an AVX512 CPU (tests/cpu_capability.py), and PyTorch on an AVX2 CPU prints other last
# digits for these too
if cpu_capability.CAPABILITY != cpu_capability.RECORDED_ON:
    KNOWN["lpe_legendre_setup_context"] = (
        "float64 on an AVX2 CPU: PyTorch's last digit of two printed losses differs from the "
        "AVX512 recording, and gradsh's from both")
SANDBOX = "the .grad sandbox: "
# program -> why only its .grad run differs: the sandbox's rules (docs/security.md); under
# Python (`import gradsh as torch`) it prints PyTorch's text
KNOWN_AS_GRAD = {
    # --- adv12a ---
    "adv12a_sched_warnings_misc": SANDBOX + "a program cannot assign attributes of an "
                                  "optimizer (`opt.step = lambda closure=None: None`, to see "
                                  "the scheduler's warning that optimizer.step was overridden): "
                                  "a located AttributeError ends the program",
    # --- adv5b ---
    # --- adv4d (issue 15's adversarial Python-language programs) ---
    "adv4d_mod_missing_sklearn": SANDBOX + "imports are checked before the program runs: "
                                 "ImportError naming the modules gradsh offers, and the lines "
                                 "above the import never print (Python: ModuleNotFoundError "
                                 "when the line runs)",
    # --- adv5d (issue 15's adversarial Python-language programs, round 2); each program
    # prints PyTorch's text in .grad with the refused line taken out (checked by hand) ---
    # (adv5d_fn_recursion_and_nested_def passes since lang22: RecursionError is catchable)
}
# program -> why only its `import gradsh as torch` run differs; as a .grad program (and on the
# other surfaces) it prints PyTorch's text
KNOWN_AS_PYTHON = {}  # (type(p) of a parameter is nn.Parameter in both modes since branch param)
# (adv8f_abc_modules passes under Python since lang20: nn.Module's metaclass combines with ABCMeta)
KNOWN_AS_PYTHON["adv8f_globals_modules"] = (
    "under Python, `torch.__name__` is 'gradsh' (and F.__name__ 'gradsh.nn.functional'): the "
    "module imported as torch is gradsh's own")
KNOWN["adv8f_bytes_literals"] = (
    "torch.save writes gradsh's own format, not PyTorch's zip archive (its first bytes are not "
    "b'PK'); the .grad sandbox also has no torch.frombuffer (it reads a raw buffer)")
KNOWN_AS_PYTHON["numpy_bridge_tensors"] = (
    "under Python, `tensor * ndarray` with numpy's own array keeps the tensor's dtype (the "
    "core's ops take numpy arrays as working values, promoted as PyTorch promotes tensors); "
    "PyTorch computes with numpy's promotion (float32 tensor * float64 array is float64), as "
    ".grad programs, whose arrays are gradsh's, do")
KNOWN_AS_PYTHON["numpy_torch_interop"] = (
    "under Python, numpy's own ndarray on the left of `+`, `*` or `==` with a tensor defers to "
    "the tensor's operators (Tensor.__array_ufunc__ = None), which compute; PyTorch's raise "
    "TypeError (or give a bool tensor for ==). .grad programs hold gradsh's arrays, which "
    "raise as PyTorch does")
KNOWN_AS_PYTHON["p8c_repr_of_objects_functions_classes"] = (
    "torch.relu, torch.sum... under Python are gradsh's Python functions (<function relu at ...>); "
    ".grad programs show PyTorch's <built-in method relu of type object at ...>")
KNOWN_AS_PYTHON["gaps15_method_reprs"] = (
    "under Python, a tensor's method is Python's bound method (`<bound method Tensor.item of "
    "tensor(...)>`: its repr cannot be changed without a slower method lookup on every call); "
    ".grad programs show PyTorch's `<built-in method item of Tensor object at 0x...>`")
KNOWN_AS_PYTHON["p8c_type_identity_checks"] = (
    "type(nn.Linear) under Python is gradsh's metaclass that prints the class as PyTorch's "
    "(<class 'torch.nn.modules.linear.Linear'>), so `type(nn.Linear) is type` is False; .grad "
    "programs see `type`")
# --- adv9a (PyTorch's tutorials and notes, docs/autograd.md "Issue 18's ... branch adv9a") ---
# --- tf19 (__torch_function__ and operator deferral; docs/autograd.md) ---
# (tf19_logging_subclass passes since lang21: print() writes `name ` before a __repr__ prints)
# --- adv9e (Python-language programs, round 9; docs/language.md): all pass since lang20 ---
# --- lang19a (bytes, special methods by name, KeyboardInterrupt/GeneratorExit, globals()) ---
KNOWN_AS_GRAD["lang19a_vars_locals_debug"] = (
    SANDBOX + "globals(), vars() and dir() at module level show the program's names and "
    "`__name__`, not Python's module attributes (`__builtins__`, `__cached__`, `__file__`...: "
    "the runner's), docs/language.md")
# --- lang19b ---
KNOWN_AS_PYTHON["lang19b_class_getitem_tensor_spec"] = (
    "under Python, `dict[str, torch.Tensor]` is Python's GenericAlias, which names the class "
    "by its module: gradsh.core.tensor.Tensor (as adv9e_cls_class_getitem)")
KNOWN_AS_PYTHON["lang19b_exception_modules"] = (
    "under Python, torch's classes are gradsh's, in gradsh's modules "
    "(`torch.nn.Linear.__module__` is 'gradsh.core.nn.linear'); a .grad program reads "
    "PyTorch's module names")
KNOWN_AS_PYTHON["adv9e_cls_eq_ordering_reflected"] = (
    "`torch.__version__` under Python is gradsh's own package version ('0.1.0'); a .grad "
    "program's is the PyTorch release gradsh follows, '2.13.0+cpu' (docs/language.md)")
KNOWN_AS_PYTHON["adv9e_cls_class_getitem"] = (
    "under Python, `dict[str, torch.Tensor]` is Python's GenericAlias, which names the class "
    "by its module: gradsh.core.tensor.Tensor (a .grad program prints torch.Tensor)")
# --- adv11a (intermediate tutorials and recipes, blind round; docs/autograd.md "branch adv11a") ---
_VMAP_RULE = ("a custom Function's own vmap staticmethod is not called (gradsh's vmap runs the "
              "function once per slice), so its prints, its errors for a bad return and "
              "generate_vmap_rule with a vmap staticmethod are missing: vmap's internals, left "
              "to branch func20")
KNOWN.update({
    "adv11a_xf_vmap_staticmethod_out_dims": _VMAP_RULE,
    "adv11a_xf_vmap_rule_wrong_return": _VMAP_RULE,
    # (adv11a_sh_meta_tensors passes since fid21: the 'meta' device)
    "adv11a_psg_functional_call_options": (
        "PyTorch 2.13 leaves a tied module's parameter replaced by the tensor given after "
        "functional_call(tie_weights=True) (its restore misses the tied name); gradsh puts the "
        "module's own Parameter back"),
})
# (adv11a_pr_buffers_hooks and adv11a_pr_iterative_container pass since lang21: a pruning
# hook's `_tensor_name`, a PruningContainer's `_pruning_methods`)


# --- adv10a (makemore / backprop-ninja and d2l.ai programs; docs/autograd.md, branch adv10a) ---
KNOWN.update({
    # (adv10a_d2l_lenet_shapes passes on branch adv14c: its float32 sgemm rounding follows the
    # arrays' alignment in memory, which any change of allocations moves; its last line,
    # softmax(1).sum(1) of 1.0000 or 1., matches PyTorch here, on main it did not)
    "adv10a_d2l_lenet_shapes": MATMUL32 + " (LeNet's Linear layers: softmax(1).sum(1) is 1.0000, "
                               "not exactly 1, in PyTorch)",
    "adv10a_mm_ninja_ex1_float32": MATMUL32 + " (the hand gradients' maxdiff rounding noise)",
    "adv10a_mm_ninja_ex1_float64": MATMUL64 + " (embcat @ W1 first: every later maxdiff is "
                                   "rounding noise of other values)",
    "adv10a_mm_ninja_ex2_ex3_fast": MATMUL64 + "; and float64 exp (softmax) is MKL VML's in "
                                    "PyTorch: a softmax row sums to 1.0 there, 0.9999999999999998 here",
    "adv10a_mm_ninja_ex1_no_matmul": "float64 tanh and exp are MKL VML's in PyTorch (closed "
                                     "source): h = tanh(hpreact) differs in the last bit, so "
                                     "the maxdiff rounding noise of the later gradients differs",
    "adv10a_mm_mlp_train64": MATMUL64,
    "adv10a_mm_torchified_layers": MATMUL64 + " (mean of a gradient that is rounding noise "
                                   "around 0: its sign and digits)",
})
# --- func20 (torch.func and forward AD as PyTorch computes them; docs/autograd.md) ---
KNOWN.update({
    "func20_hessian_argnums_pair": "hessian(f, argnums=1) with another input not differentiated: "
                                   "the signs of two zeros differ (mul's forward formula with "
                                   "one absent tangent; the argnums=(0, 1) blocks are PyTorch's)",
    "func20_hvp_both_ways": "autograd.functional.hessian(vectorize=True, outer_jacobian_strategy="
                            "'forward-mode') hands back a Hessian with a grad_fn "
                            "(ReshapeAliasBackward0) in PyTorch though create_graph=False; "
                            "gradsh's is plain",
})

# --- adv11c (nn layers and functional ops at their edges; docs/nn.md, branch adv11c) ---
LAYER_NORM64 = ("float64 rounding noise (1e-18..1e-15) of LayerNorm input gradients that are "
                "mathematically zero (the sum of a normalized row): PyTorch's kernel takes the "
                "row's mean by a lane-wise Welford cascade and sums in its vector order, gradsh "
                "in numpy's, so its zeros and PyTorch's noise fall on different rows")
KNOWN.update({
    "adv11c_decoder_stack_norm": LAYER_NORM64,
    "adv11c_transformer_full_small": LAYER_NORM64,
    "adv11c_layernorm_no_affine_no_bias": "float64 LayerNorm backward without an affine: a "
                                          "gradient that rounds to zero is -1e-17 here, +1e-17 "
                                          "in PyTorch (" + LAYER_NORM64.split(" (")[0] + ")",
    "adv11c_attention_block_model": MATMUL64 + "; and the attention's input-projection "
                                    "gradients printed are rounding noise around 0",
})
# (adv11c_mha_unbatched_batch_first passes since lang21: mha._qkv_same_embed_dim)

# --- lang21 (torch's private data, print()'s write order, type() with three arguments) ---
_LANG21_METACLASS = ("a program's own metaclass (`class Registry(type)` with `__new__`, "
                     "`__call__` or `__prepare__`, used as `metaclass=`) is not supported in "
                     "gradsh yet: the class statement is refused before the program runs")
KNOWN_AS_GRAD.update({
    "lang21_metaclass_registry": _LANG21_METACLASS,
    "lang21_metaclass_init_prepare": _LANG21_METACLASS,
    "lang21_scheduler_internals": SANDBOX + "a torch object's private list (`sched._last_lr`) "
                                  "is the program's copy: appending to it leaves the "
                                  "scheduler's own list as it was (PyTorch hands out the list "
                                  "itself; docs/security.md)",
})

# --- adv11b (tensor semantics at their edges; docs/autograd.md, branch adv11b) ---
KNOWN["adv11b_dt_scalar_kinds_promotion"] = (
    COMPLEX32 + " (`float16_tensor * 1j`, in a loop over every dtype: the program stops there)")
# --- adv13b (torch.nn tutorial models and layer options; docs/nn.md, branch adv13b) ---
SOFTMAX64_LASTDIM = ("float64 softmax / log_softmax over the last dim: PyTorch's vectorised "
                     "kernel (SLEEF's exp in AVX lanes, lane-wise sums) rounds otherwise in the "
                     "last bit of some values")
KNOWN.update({
    "adv13b_cifar_classifier_train": SOFTMAX64_LASTDIM + " (the printed sum of fc3.bias.grad is "
                                     "rounding noise around 0: 9.7e-17 there, 8.3e-17 here)",
    "adv13b_model_seq2seq_gru_attention": SOFTMAX64_LASTDIM + " (the attention score's bias "
                                          "gradient is mathematically 0: -0. there, 0. here)",
    "adv13b_model_word_lm_transformer": FLOAT32_VML_LAST_BIT + " (the tutorial's float32 "
                                        "positional encoding, cos(1.) one unit above the "
                                        "rounded value): the loss's 10th digit",
})
# --- adv12c (Python-language programs with the standard library; docs/language.md, adv12c) ---
_SANDBOX = "the sandbox refuses "
KNOWN["adv12c_typing_generic_protocol_typeddict"] = (
    "typing's reprs name a class by its module: typing.Union[int, gradsh.core.tensor.Tensor] "
    "where PyTorch's is torch.Tensor (as adv9e_cls_class_getitem)")
KNOWN_AS_GRAD.update({
    # (adv12c_builtins_misc_edges passes since lang21: type(name, bases, dict))
    # (adv12c_cls_descriptors_data_nondata, _cls_getattr_setattr_proxy,
    # _exc_builtin_messages_311, _exc_cause_context_suppress, _mod_fractions_exact and
    # _mod_string_template_vocab pass since lang22: a program function's __get__, name
    # mangling and a catchable RecursionError, bool.__new__, e.__traceback__ and assigning
    # e.__cause__, fractions, string.Formatter)
    "adv12c_mod_argparse_defaults": "argparse is not importable (it reads the host's sys.argv "
                                    "and exits the process on errors)",
    # (adv12c_mod_collections_abc_numbers passes since adv14c: collections.abc's classes as bases)
    "adv12c_mod_decimal_money_rounding": "decimal is not importable (its context is the host "
                                         "thread's, shared by the sessions of a process)",
    "adv12c_mod_sys_info_checks": "sys.modules is not offered (the host's modules)",
})

# --- lang22 (name mangling, catchable RecursionError, e.__traceback__, fractions...;
# docs/language.md "Branch lang22") ---
_LANG22_METACLASS = ("a program's own metaclass (`class RegistryMeta(type)` with `__new__`, "
                     "used as `metaclass=`) is not supported in gradsh yet: the class statement "
                     "is refused before the program runs")
KNOWN_AS_GRAD.update({
    "lang22_metaclass_plugin_registry": _LANG22_METACLASS,
    # (lang22_collections_abc_mapping passes since adv14c: collections.abc's classes as bases)
    "lang22_decimal_rounding": "decimal is not importable yet (its context is the host "
                               "thread's, shared by the sessions of a process: a per-session "
                               "context is left to a later branch)",
    "lang22_recursion_caught": "recursion through a generator expression (`max(depth(c) for c "
                               "in node)`) meets Python's own stack limit (frames of the "
                               "generator and of gradsh's calls) before gradsh's counted depth "
                               "of 1000 program calls; Python's own RecursionError stays "
                               "uncatchable (docs/language.md, 'Limits')",
})
KNOWN_AS_PYTHON["lang22_traceback_lines"] = (
    "under Python, a tensor operation's traceback has the frames of gradsh's own Python code "
    "below the program's (PyTorch's kernels are C++, without frames); a .grad program's "
    "traceback has the program's frames only")

# --- adv12b (torch.special, linalg, fft, complex autograd, distributions at their edges, blind
# round; docs/autograd.md, branch adv12b) ---
_LAPACK64 = ("float64 LAPACK rounding noise: MKL's kernels (PyTorch) and numpy's OpenBLAS/LAPACK "
             "leave other noise in values that are mathematically zero, or other signs of zero")
_COMPLEX_GRADGRAD = ("gradgradcheck through complex intermediates: gradsh does not record the "
                     "backward pass of complex tensors (create_graph=True; docs/autograd.md, "
                     "'Complex numbers')")
KNOWN.update({
    "adv12b_la_cond_pinv": _LAPACK64 + " (pinv's gradient: 3.5e-16 where PyTorch has -2.7e-16)",
    "adv12b_la_eigh_uplo": _LAPACK64 + " (eigh's gradient: 2.2e-17 off the diagonal)",
    "adv12b_la_householder": _LAPACK64 + " (a -0. in geqrf's reflectors)",
    "adv12b_la_lu_family": _LAPACK64 + " (lu_solve's -0. and LU's gradient noise)",
    "adv12b_la_svd_full": _LAPACK64 + " (an SVD gradient entry of 1.9e-16)",
    "adv12b_la_matrix_norm_ords": _LAPACK64 + " (the last bit of the -2 norm's singular value)",
    "adv12b_la_matrix_exp_grad": "matrix_exp of pi [[0, -1], [1, 0]]: PyTorch's Taylor "
                                 "polynomial leaves 1.3e-15 off the diagonal, the [13/13] Pade "
                                 "approximant 2.4e-16",
    "adv12b_la_gradcheck_sweep": _COMPLEX_GRADGRAD + " (eigvals)",
    "adv12b_fft_grads_float64": _COMPLEX_GRADGRAD + " (every FFT is complex inside)",
    "adv12b_fft_complex_printing": "rfft along dim 0 of ones: PyTorch's MKL FFT leaves -0. in "
                                   "the imaginary parts, numpy's pocketfft +0.",
    "adv12b_cx_polar_complex": COMPLEX32 + " (torch.complex of two float16 tensors)",
    "adv12b_cx_wirtinger_funcs": "complex128 exp's gradient: the imaginary rounding noise of one "
                                 "entry (-6.5e-18 in PyTorch, 7.4e-18 here)",
    "adv12b_cx_abs_angle_grads": "float32 sgn(z).abs() backward: PyTorch's composite leaves "
                                 "2.1e-08 rounding noise where gradsh's gradient is exactly 0",
    "adv12b_ds_bernoulli_logits": "float32 Bernoulli(logits=100).entropy(): a denormal result "
                                  "(3.9e-44 in PyTorch, 3.8e-44 here) of softplus rounding",
    "adv12b_sp_bessel_j_nograd": "bessel_j0 at its first zero: rounding noise (-9.6e-17 from "
                                 "PyTorch's rational approximation, -1.6e-16 from gradsh's "
                                 "integral; branch linalg2)",
    "adv12b_sp_half_support": "i0e in float16 and bfloat16: PyTorch evaluates its Chebyshev "
                              "series in the low precision itself (i0e(0) is 0.9921875 in "
                              "bfloat16); gradsh in float32, rounded once (every other special "
                              "function of the program matches)",
})
# --- adv13a (autograd notes, torch.func tutorials and recipes, blind round; docs/autograd.md) ---
KNOWN["adv13a_db_hessian_vector_custom_mlp"] = (
    "PyTorch 2.13's forward-over-reverse (torch.func.jvp of grad) through mse_loss with "
    "reduction='mean' raises 'ZeroTensors are immutable' (its double-backward formula writes "
    "into an efficient zero tensor); gradsh computes the Hessian-vector product")
# --- adv14b (adversarial autograd semantics, blind round; docs/autograd.md, adv14b) ---
KNOWN.update({
    "adv14b_vw_set_storage": "Tensor.set_ is not in gradsh (raw storages: docs/security.md); "
                             "the first set_ ends the program",
    "adv14b_vw_data_swap": "`w.data = <a tensor of another shape>` while a graph using w "
                           "lives: PyTorch's AccumulateGrad keeps w's old shape and refuses "
                           "a new op's gradient ('invalid gradient at index 0 - got [3] but "
                           "expected shape compatible with [2]'); gradsh accumulates it",
})
KNOWN_AS_GRAD.update({
    "adv12b_ds_support_constraints": SANDBOX + "`Normal.arg_constraints` on the class (a "
                                     "mutable dict of the library's) is refused; an instance's "
                                     "`d.arg_constraints` is given",
    "adv12b_ds_validate_errors": SANDBOX + "`Distribution._validate_args` starts with '_'",
})

# --- adv13c (Python's built-in types beside torch, blind round; docs/language.md, adv13c) ---
KNOWN_AS_GRAD.update({
    "adv13c_bytearray_mutation": SANDBOX + "`memoryview` and `torch.frombuffer` (raw buffers) "
                                 "are not offered: a NameError ends the program",
    "adv13c_iter_reversed_custom": SANDBOX + "`it.__length_hint__` is refused before the "
                                   "program runs (even under `if False`)",
    "adv13c_scope_default_args_once": SANDBOX + "a function's `__code__` is refused before the "
                                      "program runs (and assigning `f.__defaults__` too)",
    # (adv13c_recursion_memo_deep passes since lang22: the depth limit is catchable)
})

# --- adv14a (PyTorch's beginner/intermediate tutorials re-typed and varied, blind round;
# docs/autograd.md, branch adv14a) ---
KNOWN.update({
    "adv14a_lpe_optim_rmsprop_state": MATMUL64 + " (Linear(3, 1) over 40 points: 20 of the "
                                      "40 predictions differ in the last bit at step 0; "
                                      "RMSprop's normalised steps grow it to the 3rd digit of "
                                      "the loss by step 299)",
})


# --- adv14d (torch.optim, lr_scheduler, swa_utils, nn.init, nn.utils, Module API at the digits,
# blind round; docs/nn.md, branch adv14d) ---
KNOWN.update({
    "adv14d_opt_adadelta_rho_lr": "float32 Adadelta: PyTorch's sqrt is MKL VML's (one unit in "
                                  "the last place below the correctly rounded root for ~0.6% of "
                                  "float32 inputs, just below a rounding tie), numpy's correctly "
                                  "rounded: one acc_delta entry differs in its 8th digit (exact "
                                  "with PyTorch's sqrt swapped in)",
    "adv14d_init_orthogonal_sparse_dirac": _LAPACK64 + " (orthogonal_'s QR in the last bit, so "
                                           "W @ W.T rounds a 1e-16 residue to -0. where "
                                           "PyTorch's is 0.)",
    "adv14d_param_orthogonal_maps": _LAPACK64 + " (matrix_exp, the Cayley solve and the "
                                    "Householder product in the last bit: W @ W.T's 1e-16 "
                                    "residues round to -0. where PyTorch's are 0.)",
})


# --- adv14c (the Python around tensors and metaclasses, blind round; docs/language.md, adv14c) ---
_METACLASS_ADV14C = (SANDBOX + "a program's own metaclass is refused (docs/language.md, "
                     "\"Branch adv14c\": `metaclass=`, `class M(type)`, `abc.ABCMeta`, "
                     "`__prepare__`, `__instancecheck__`, `__subclasshook__`...)")
KNOWN_AS_GRAD.update({
    "adv14c_meta_registry_new": _METACLASS_ADV14C,
    "adv14c_meta_init_call_singleton": _METACLASS_ADV14C,
    "adv14c_meta_prepare_ordered_fields": _METACLASS_ADV14C,
    "adv14c_meta_abcmeta_register": _METACLASS_ADV14C,
    "adv14c_meta_instancecheck_getitem": _METACLASS_ADV14C,
    "adv14c_meta_abc_iterator_callable_hook": _METACLASS_ADV14C + " (a custom ABC's "
                                              "`__subclasshook__`)",
    "adv14c_meta_abc_sequence_dataset": SANDBOX + "dir() lists no names starting with '_' "
                                        "(`__contains__`, `__iter__` of the mixins)",
})
KNOWN.update({
    "adv14c_meta_errors_conflict": _METACLASS_ADV14C + "; under `import gradsh as torch`, "
                                   "nn.Module's class has gradsh's metaclass, so `class H(nn."
                                   "Module, metaclass=M)` is a metaclass conflict",
    "adv14c_meta_type_three_args": _METACLASS_ADV14C + "; under `import gradsh as torch`, "
                                   "type(nn.Module subclass) is gradsh's ModuleClass, not type",
    "adv14c_op_array_protocol": "a class's `__array__`: a .grad program may not define it "
                                "(gradsh's core reads an object with `__array__` as a numpy "
                                "value, where PyTorch reads it as a sequence), and gradsh's "
                                "torch.tensor() reads lists, tuples and numpy values only, not "
                                "a class with __len__ and __getitem__",
})


def _cases(known=KNOWN):
    return [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=known[n]))
            if n in known else n for n in NAMES]


def expected(name):
    return (DATA / (name + ".out")).read_text()


def run_as_grad(name):
    """The .grad way: gradsh's Session, with the state of a fresh process."""
    runner.fresh_state(gradsh)
    path = DATA / (name + ".grad")
    out = io.StringIO()
    try:
        Session(stdout=out, stderr=io.StringIO(), argv=[str(path)]).run(path.read_bytes(),
                                                                        path.name)
    except GradshError as error:
        out.write("!! %s: %s\n" % (error.kind, error.message))
    return runner.normalize(out.getvalue())


class _Served(dict):
    """A program's output under Python, asked of one runner process the first time a test
    needs it: under pytest-xdist each worker runs only the programs of its own tests (a sweep
    of every program in a fixture ran on every worker)."""

    def __init__(self, server):
        super().__init__()
        self.server = server

    def __missing__(self, name):
        self.server.stdin.write(str(DATA / (name + ".grad")) + "\n")
        self.server.stdin.flush()
        ready, _, _ = select.select([self.server.stdout], [], [], 300)
        assert ready, "the runner gave no answer for %s in 300 s" % name
        line = self.server.stdout.readline()
        assert line, "the runner ended on %s" % name
        self[name] = result = json.loads(line)
        return result


@pytest.fixture(scope="module")
def as_python(tmp_path_factory):
    """The `import gradsh as torch` way: the programs in one Python process, in a directory of
    their own (a tutorial's `torch.save(model, 'model.pth')` writes there, not in the checkout)."""
    server = subprocess.Popen([sys.executable, str(DATA / "runner.py"), "gradsh-serve"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, cwd=tmp_path_factory.mktemp("learner_programs"))
    try:
        yield _Served(server)
    finally:
        server.stdin.close()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.mark.parametrize("name", _cases({**KNOWN, **KNOWN_AS_GRAD}))
def test_grad_program_prints_what_pytorch_printed(name):
    assert run_as_grad(name) == expected(name)


@pytest.mark.parametrize("name", _cases({**KNOWN, **KNOWN_AS_PYTHON}))
def test_python_program_prints_what_pytorch_printed(name, as_python):
    assert as_python[name] == expected(name)


def test_every_program_has_its_recording():
    assert len(NAMES) >= 230
    for name in NAMES:
        assert (DATA / (name + ".out")).exists(), name
