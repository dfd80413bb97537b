using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using BoxFusion.Coco;
using BoxFusion.Evaluation;
using BoxFusion.Fusion;

namespace BoxFusion.Optimization
{
    /// <summary>
    /// Searches fusion parameters for the best COCO score on a validation set, fusing and evaluating in memory:
    /// every method over the IoU grid, then the best method's own knobs, then per-model weights by
    /// coordinate search, then the IoU again around the best. Deterministic: same input, same trials.
    /// </summary>
    public sealed class FusionSearch
    {
        private readonly DetectionEnsemble ensemble;
        private readonly CocoGroundTruth groundTruth;
        private readonly SearchSpace space;
        private readonly double[] widths, heights;
        private readonly CocoGroundTruth[] folds;
        private readonly int[] foldOfImage;
        private readonly List<FusionTrial> trials = new List<FusionTrial>();
        private readonly Dictionary<string, FusionTrial> bySignature = new Dictionary<string, FusionTrial>(StringComparer.Ordinal);
        private readonly Stopwatch clock = new Stopwatch();
        private CancellationToken cancel;

        /// <param name="imageInfo">Image sizes for clipping, as Merge-Detection -ImageInfo; null for none.</param>
        public FusionSearch(DetectionEnsemble ensemble, CocoGroundTruth groundTruth, CocoGroundTruth imageInfo, SearchSpace space)
        {
            this.ensemble = ensemble;
            this.groundTruth = groundTruth;
            this.space = space;
            if (space.Folds < 1) throw new ArgumentException("Folds must be 1 or more.");
            if (space.Methods.Length == 0 || space.IouThresholds.Length == 0) throw new ArgumentException("Give at least one method and one IoU threshold.");
            int n = ensemble.ImageCount;
            foldOfImage = new int[n];
            var foldByImage = new Dictionary<CocoImage, int>();
            for (int i = 0; i < groundTruth.Images.Count; i++) foldByImage[groundTruth.Images[i]] = i % space.Folds;
            for (int i = 0; i < n; i++)
            {
                if (!groundTruth.TryFindImage(ensemble.ImageIds[i], out var image)) throw new UnknownImageException(ensemble.ImageIds[i], -1, groundTruth.Path);
                foldOfImage[i] = foldByImage[image];
            }
            if (imageInfo != null)
            {
                widths = new double[n];
                heights = new double[n];
                for (int i = 0; i < n; i++)
                {
                    if (!imageInfo.TryFindImage(ensemble.ImageIds[i], out var image)) throw new UnknownImageException(ensemble.ImageIds[i], -1, imageInfo.Path);
                    widths[i] = image.Width;
                    heights[i] = image.Height;
                }
            }
            folds = space.Folds > 1 ? MakeFolds() : Array.Empty<CocoGroundTruth>();
        }

        /// <summary>Finished trials in the order they ran (safe to read from the thread that runs the search only).</summary>
        public IReadOnlyList<FusionTrial> Trials => trials;
        public FusionTrial Best { get; private set; }
        /// <summary>Called after each trial, on the searching thread.</summary>
        public Action<FusionTrial> TrialCompleted { get; set; }

        private CocoGroundTruth[] MakeFolds()
        {
            var result = new CocoGroundTruth[space.Folds];
            for (int k = 0; k < space.Folds; k++)
            {
                var images = groundTruth.Images.Where((img, i) => i % space.Folds == k).ToList();
                var set = new HashSet<CocoImage>(images);
                var annotations = groundTruth.Annotations.Where(a => groundTruth.TryFindImage(a.ImageId, out var img) && set.Contains(img));
                result[k] = new CocoGroundTruth(images, annotations, groundTruth.Categories, groundTruth.Path);
            }
            return result;
        }

        /// <summary>Runs the search; returns every finished trial, best first (also when cancelled or out of budget).</summary>
        public IReadOnlyList<FusionTrial> Run(CancellationToken cancellation = default)
        {
            cancel = cancellation;
            clock.Start();
            try
            {
                Search();
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
            }
            catch (BudgetSpent)
            {
            }
            return Ranked();
        }

        public IReadOnlyList<FusionTrial> Ranked()
        {
            var ranked = trials.OrderByDescending(t => t.Score).ThenBy(t => t.Number).ToList();
            for (int i = 0; i < ranked.Count; i++) ranked[i].Rank = i + 1;
            return ranked;
        }

        private void Search()
        {
            int k = ensemble.Models.Count;
            var ones = Enumerable.Repeat(1.0, k).ToArray();
            // 1. Every method over the IoU grid, equal weights.
            foreach (var method in space.Methods)
                foreach (var iou in space.IouThresholds)
                    Try(With(space.BaseOptions, method, iou), ones);
            // 2. The best method's own knobs.
            Refine(Best.Options, Best.Weights);
            // 3. Per-model weights, one model at a time, until no change helps.
            if (space.SearchWeights && k > 1)
            {
                for (int pass = 0; pass < 3; pass++)
                {
                    bool improved = false;
                    for (int m = 0; m < k; m++)
                    {
                        foreach (var value in space.WeightValues)
                        {
                            var weights = (double[])Best.Weights.Clone();
                            if (weights[m] == value) continue;
                            weights[m] = value;
                            if (weights.All(w => w == 0)) continue;
                            var before = Best;
                            Try(Best.Options, weights);
                            improved |= Best != before;
                        }
                    }
                    if (!improved) break;
                }
                // 4. With the chosen weights, the method's knobs and the IoU once more.
                Refine(Best.Options, Best.Weights);
            }
            var grid = space.IouThresholds;
            double center = Best.IouThreshold;
            foreach (var delta in new[] { -0.025, 0.025, -0.05, 0.05 })
            {
                double iou = Math.Round(center + delta, 4);
                if (iou > 0 && iou < 1) Try(With(Best.Options, Best.Method, iou), Best.Weights);
            }
        }

        /// <summary>The knobs that belong to one method: confidence type and skip threshold (WBF), skip (NMW), sigma and function (Soft-NMS).</summary>
        private void Refine(FusionOptions start, double[] weights)
        {
            var best = start;
            if (best.Method == FusionMethod.WBF)
            {
                foreach (var type in space.ConfidenceTypes) Try(Change(best, o => o.ConfidenceType = type), weights);
                best = Best.Options;
            }
            if (best.Method == FusionMethod.WBF || best.Method == FusionMethod.NMW)
            {
                foreach (var skip in space.SkipBoxThresholds) Try(Change(best, o => o.SkipBoxThreshold = skip), weights);
                if (SearchesMasks)
                {
                    best = Best.Options;
                    foreach (var t in space.MaskThresholds) Try(Change(best, o => o.MaskThreshold = t), weights);
                }
            }
            if (best.Method == FusionMethod.SoftNMS)
            {
                foreach (var sigma in space.Sigmas) Try(Change(best, o => { o.SoftNmsFunction = SoftNmsFunction.Gaussian; o.Sigma = sigma; }), weights);
                Try(Change(best, o => o.SoftNmsFunction = SoftNmsFunction.Linear), weights);
            }
        }

        /// <summary>Mask thresholds matter only when masks are scored and there are masks to fuse.</summary>
        private bool SearchesMasks => space.IouType == IouType.Segm && ensemble.MaskCount > 0;

        private static FusionOptions With(FusionOptions baseOptions, FusionMethod method, double iou) =>
            Change(baseOptions, o => { o.Method = method; o.IouThreshold = iou; });

        private static FusionOptions Change(FusionOptions options, Action<FusionOptions> change)
        {
            var copy = options.Clone();
            change(copy);
            return copy;
        }

        private sealed class BudgetSpent : Exception { }

        /// <summary>Fuses and scores one setting (once: repeats come from the cache).</summary>
        private FusionTrial Try(FusionOptions options, double[] weights)
        {
            string signature = Signature(options, weights);
            if (bySignature.TryGetValue(signature, out var known)) return known;
            if (trials.Count >= space.MaxTrials || space.TimeBudget > TimeSpan.Zero && clock.Elapsed >= space.TimeBudget) throw new BudgetSpent();
            cancel.ThrowIfCancellationRequested();
            var started = clock.Elapsed;
            // Equal weights run as no weights, exactly as the splatted Parameters (which omit them) will.
            var context = new FusionContext(options, ensemble.Models, weights.All(w => w == 1) ? null : weights);
            var fused = FusionEngine.FuseAll(ensemble, context, widths, heights, cancel);
            var all = new List<Detection>();
            foreach (var image in fused) all.AddRange(image);
            var evaluation = new EvaluationOptions { IouType = space.IouType };
            var stats = CocoEvaluator.Evaluate(groundTruth, all, evaluation, cancel).Stats;
            var foldScores = new double[folds.Length];
            if (folds.Length > 0)
            {
                var perFold = folds.Select(_ => new List<Detection>()).ToArray();
                for (int i = 0; i < fused.Length; i++) perFold[foldOfImage[i]].AddRange(fused[i]);
                for (int f = 0; f < folds.Length; f++) foldScores[f] = CocoEvaluator.Evaluate(folds[f], perFold[f], evaluation, cancel).Stats[(int)space.Metric];
            }
            var trial = new FusionTrial(trials.Count + 1, options, ensemble.Models, weights, space.Metric, stats, foldScores, clock.Elapsed - started);
            trials.Add(trial);
            bySignature.Add(signature, trial);
            if (Best == null || trial.Score > Best.Score) Best = trial;
            TrialCompleted?.Invoke(trial);
            return trial;
        }

        private static string Signature(FusionOptions o, double[] weights) => string.Format(CultureInfo.InvariantCulture,
            "{0}|{1:R}|{2:R}|{3}|{4}|{5}|{6:R}|{7}|{8:R}",
            o.Method, o.IouThreshold,
            o.Method == FusionMethod.WBF || o.Method == FusionMethod.NMW ? o.SkipBoxThreshold : 0,
            o.Method == FusionMethod.WBF ? o.ConfidenceType.ToString() : "",
            o.Method == FusionMethod.WBF && o.AllowOverflow,
            o.Method == FusionMethod.SoftNMS ? o.SoftNmsFunction.ToString() : "",
            o.Method == FusionMethod.SoftNMS ? o.Sigma : 0,
            string.Join(",", weights.Select(w => w.ToString("R", CultureInfo.InvariantCulture))),
            o.Method == FusionMethod.WBF || o.Method == FusionMethod.NMW ? o.MaskThreshold : 0);
    }
}
