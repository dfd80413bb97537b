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
            // An empty fold scores -1 (pycocotools' "no data"), which would drag every mean down the same wrong way.
            if (space.Folds > groundTruth.Images.Count) throw new ArgumentException(TooManyFoldsMessage(space.Folds, groundTruth), nameof(space));
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
        /// <summary>The best trial so far, as the ranking orders them (safe to read from any thread).</summary>
        public FusionTrial Best { get => Volatile.Read(ref best); private set => Volatile.Write(ref best, value); }
        private FusionTrial best;
        /// <summary>Called after each trial, on the searching thread.</summary>
        public Action<FusionTrial> TrialCompleted { get; set; }

        /// <summary>
        /// The number of trials the search will run at most, counting those finished: it starts as an upper bound
        /// (the stages' sizes, at most MaxTrials) and only shrinks as the search learns its path (the best method,
        /// the weight passes it needs, settings it already tried). Equals the trials run when the search ends by itself.
        /// Safe to read from any thread.
        /// </summary>
        public int PlannedTrials => Math.Min(space.MaxTrials, Volatile.Read(ref planned));
        /// <summary>Try calls still to come (the searching thread's), and finished trials plus those, published in one field.</summary>
        private int triesLeft, planned;

        /// <summary>The message for more folds than the ground truth has images.</summary>
        public static string TooManyFoldsMessage(int folds, CocoGroundTruth groundTruth) => string.Format(CultureInfo.InvariantCulture,
            "{0} folds need at least {0} images, but the ground truth{1} has {2}: every fold must hold an image. Use {2} folds or fewer.",
            folds, groundTruth.Path != null ? " '" + groundTruth.Path + "'" : "", groundTruth.Images.Count);

        private CocoGroundTruth[] MakeFolds()
        {
            var result = new CocoGroundTruth[space.Folds];
            for (int k = 0; k < space.Folds; k++)
            {
                var images = groundTruth.Images.Where((img, i) => i % space.Folds == k).ToList();
                var set = new HashSet<CocoImage>(images);
                // Each fold's place of an annotation holds what pycocotools evaluates there (the last annotation of its id).
                var annotations = groundTruth.Annotations
                    .Select((a, i) => (Place: a, Stored: groundTruth.Annotations[groundTruth.StoredAnnotationIndex(i)]))
                    .Where(p => groundTruth.TryGetImageById(p.Place.ImageId, out var img) && set.Contains(img))
                    .Select(p => p.Stored);
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

        public IReadOnlyList<FusionTrial> Ranked() => Rank(trials);

        /// <summary>
        /// Orders trials best first and sets their Rank: by Score; among equal scores, those whose fused scores stay
        /// within [0, 1] first (they replay without a warning and any server takes them); then in the order they ran.
        /// </summary>
        public static IReadOnlyList<FusionTrial> Rank(IEnumerable<FusionTrial> trials)
        {
            var ranked = trials.ToList();
            ranked.Sort(Compare);
            for (int i = 0; i < ranked.Count; i++) ranked[i].Rank = i + 1;
            return ranked;
        }

        /// <summary>Negative when <paramref name="a"/> ranks before <paramref name="b"/>.</summary>
        public static int Compare(FusionTrial a, FusionTrial b)
        {
            int byScore = b.Score.CompareTo(a.Score);
            if (byScore != 0) return byScore;
            int byRange = (a.ScoresAboveOne > 0).CompareTo(b.ScoresAboveOne > 0);
            return byRange != 0 ? byRange : a.Number.CompareTo(b.Number);
        }

        private void Search()
        {
            int k = ensemble.Models.Count;
            var ones = Enumerable.Repeat(1.0, k).ToArray();
            bool weighting = space.SearchWeights && k > 1;
            const int weightPasses = 3;
            int weightPass = k * space.WeightValues.Length;
            // The plan, as an upper bound of Try calls: the method that wins stage 1 decides the size of both refinements.
            int refineBound = space.Methods.Max(RefineTries);
            Plan(space.Methods.Length * space.IouThresholds.Length + refineBound
                + (weighting ? weightPasses * weightPass + refineBound : 0) + FinalIouSteps.Length);
            // 1. Every method over the IoU grid, equal weights.
            foreach (var method in space.Methods)
                foreach (var iou in space.IouThresholds)
                    Try(With(space.BaseOptions, method, iou), ones);
            Plan(-(refineBound - RefineTries(Best.Options.Method)) * (weighting ? 2 : 1));
            // 2. The best method's own knobs.
            Refine(Best.Options, Best.WeightArray);
            // 3. Per-model weights, one model at a time, until no change helps.
            if (weighting)
            {
                for (int pass = 0; pass < weightPasses; pass++)
                {
                    bool improved = false;
                    for (int m = 0; m < k; m++)
                    {
                        foreach (var value in space.WeightValues)
                        {
                            var weights = (double[])Best.WeightArray.Clone();
                            weights[m] = value;
                            if (Best.Weights[m] == value || weights.All(w => w == 0))
                            {
                                Plan(-1);
                                continue;
                            }
                            var before = Best;
                            Try(Best.Options, weights);
                            improved |= Best != before;
                        }
                    }
                    if (!improved)
                    {
                        Plan(-(weightPasses - pass - 1) * weightPass);
                        break;
                    }
                }
                // 4. With the chosen weights, the method's knobs and the IoU once more.
                Refine(Best.Options, Best.WeightArray);
            }
            double center = Best.IouThreshold;
            foreach (var delta in FinalIouSteps)
            {
                double iou = Math.Round(center + delta, 4);
                if (iou > 0 && iou < 1) Try(With(Best.Options, Best.Options.Method, iou), Best.WeightArray);
                else Plan(-1);
            }
        }

        private static readonly double[] FinalIouSteps = { -0.025, 0.025, -0.05, 0.05 };

        /// <summary>Adds to (or, negative, takes from) the Try calls still planned.</summary>
        private void Plan(int tries)
        {
            triesLeft = Math.Max(0, triesLeft + tries);
            Volatile.Write(ref planned, trials.Count + triesLeft);
        }

        /// <summary>How many settings <see cref="Refine"/> tries for a method.</summary>
        private int RefineTries(FusionMethod method)
        {
            switch (method)
            {
                case FusionMethod.WBF: return space.ConfidenceTypes.Length + space.SkipBoxThresholds.Length + MaskTries;
                case FusionMethod.NMW: return space.SkipBoxThresholds.Length + MaskTries;
                case FusionMethod.SoftNMS: return space.Sigmas.Length + 1;
                default: return 0;
            }
        }

        /// <summary>The knobs that belong to one method: confidence type and skip threshold (WBF), skip (NMW), sigma and function (Soft-NMS).</summary>
        private void Refine(FusionOptions start, double[] weights)
        {
            var options = start;
            if (options.Method == FusionMethod.WBF)
            {
                foreach (var type in space.ConfidenceTypes) Try(Change(options, o => o.ConfidenceType = type), weights);
                options = Best.Options;
            }
            if (options.Method == FusionMethod.WBF || options.Method == FusionMethod.NMW)
            {
                foreach (var skip in space.SkipBoxThresholds) Try(Change(options, o => o.SkipBoxThreshold = skip), weights);
                if (SearchesMasks)
                {
                    options = Best.Options;
                    foreach (var t in space.MaskThresholds) Try(Change(options, o => o.MaskThreshold = t), weights);
                }
            }
            if (options.Method == FusionMethod.SoftNMS)
            {
                foreach (var sigma in space.Sigmas) Try(Change(options, o => { o.SoftNmsFunction = SoftNmsFunction.Gaussian; o.Sigma = sigma; }), weights);
                Try(Change(options, o => o.SoftNmsFunction = SoftNmsFunction.Linear), weights);
            }
        }

        /// <summary>Mask thresholds matter only when masks are scored and there are masks to fuse.</summary>
        private int MaskTries => SearchesMasks ? space.MaskThresholds.Length : 0;

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
            if (bySignature.TryGetValue(signature, out var known))
            {
                Plan(-1);
                return known;
            }
            if (trials.Count >= space.MaxTrials || space.TimeBudget > TimeSpan.Zero && clock.Elapsed >= space.TimeBudget) throw new BudgetSpent();
            cancel.ThrowIfCancellationRequested();
            var started = clock.Elapsed;
            if (space.MinVotesForModels != null)
            {
                options = options.Clone();
                options.MinVotes = space.MinVotesForModels(weights.Count(w => w > 0));
            }
            // Equal weights run as no weights, exactly as the splatted Parameters (which omit them) will.
            var context = new FusionContext(options, ensemble.Models, weights.All(w => w == 1) ? null : weights);
            var fused = FusionEngine.FuseAll(ensemble, context, widths, heights, cancel);
            var all = new List<Detection>();
            int aboveOne = 0;
            foreach (var image in fused)
            {
                all.AddRange(image);
                foreach (var d in image) if (d.Score > 1) aboveOne++;
            }
            var evaluation = new EvaluationOptions { IouType = space.IouType };
            var stats = CocoEvaluator.Evaluate(groundTruth, all, evaluation, cancel).Stats;
            var foldScores = new double[folds.Length];
            if (folds.Length > 0)
            {
                var perFold = folds.Select(_ => new List<Detection>()).ToArray();
                for (int i = 0; i < fused.Length; i++) perFold[foldOfImage[i]].AddRange(fused[i]);
                for (int f = 0; f < folds.Length; f++) foldScores[f] = CocoEvaluator.Evaluate(folds[f], perFold[f], evaluation, cancel).Stats[(int)space.Metric];
            }
            var trial = new FusionTrial(trials.Count + 1, options, ensemble.Models, weights, space.Metric, stats, foldScores, clock.Elapsed - started,
                aboveOne, space.ImageInfoArgument);
            trials.Add(trial);
            bySignature.Add(signature, trial);
            Plan(-1);
            if (Best == null || Compare(trial, Best) < 0) Best = trial;
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
