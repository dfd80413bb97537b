using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using BoxFusion.Coco;
using BoxFusion.Evaluation;
using BoxFusion.Fusion;
using BoxFusion.Optimization;

namespace BoxFusion.Commands
{
    /// <summary>
    /// Searches fusion method, IoU threshold, skip threshold, confidence type and per-model weights for the
    /// best COCO score on a validation set; returns the trials ranked, best first.
    /// </summary>
    [Cmdlet(VerbsCommon.Optimize, "Fusion", DefaultParameterSetName = InputSet)]
    [OutputType(typeof(FusionTrial))]
    public sealed class OptimizeFusionCommand : DetectionInputCommand
    {
        private readonly DetectionEnsemble ensemble = new DetectionEnsemble();
        private CocoGroundTruth groundTruth, imageInfo;

        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNull]
        public object GroundTruth { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public FusionMethod[] Method { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ValidateRange(0.0, 1.0)]
        public double[] IouThreshold { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ValidateRange(0.0, 1.0)]
        public double[] SkipBoxThreshold { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public ConfidenceType[] ConfidenceType { get; set; }

        /// <summary>Values tried for each model's weight (0 drops the model).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ValidateRange(0.0, 1000.0)]
        public double[] WeightValues { get; set; }

        /// <summary>Keep every model's weight at 1.</summary>
        [Parameter]
        public SwitchParameter NoWeightSearch { get; set; }

        [Parameter]
        public CocoMetric Metric { get; set; } = CocoMetric.AP;

        /// <summary>Bbox ranks by box mAP; Segm by mask mAP (and searches -MaskThreshold).</summary>
        [Parameter]
        public IouType IouType { get; set; } = IouType.Bbox;

        /// <summary>Mask vote thresholds tried for WBF and NMW with -IouType Segm.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ValidateRange(1e-9, 1.0)]
        public double[] MaskThreshold { get; set; }

        [Parameter]
        [ValidateRange(1, 20)]
        public int Folds { get; set; } = 1;

        [Parameter]
        [ValidateRange(1, 100000)]
        public int MaxTrials { get; set; } = 200;

        /// <summary>Stop starting trials after this long: seconds as a number (600), a time span ('00:10:00') or a TimeSpan.</summary>
        [Parameter]
        [SecondsOrTimeSpan]
        public TimeSpan TimeBudget { get; set; }

        /// <summary>Image sizes for clipping, as Merge-Detection -ImageInfo (each trial's Parameters carry it).</summary>
        [Parameter]
        public object ImageInfo { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int MaxDetectionsPerImage { get; set; }

        [Parameter]
        public SwitchParameter ClassAgnostic { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int MinVotes { get; set; } = 1;

        [Parameter]
        public VotingRule Voting { get; set; }

        private const string TrialsVariable = "global:BoxFusionTrials";

        protected override void BeginProcessing()
        {
            // A new search: whatever an earlier one left must not pass for this one's trials (after a Ctrl+C, say).
            SessionState.PSVariable.Set(TrialsVariable, Array.Empty<FusionTrial>());
            var bound = MyInvocation.BoundParameters;
            if (bound.ContainsKey(nameof(TimeBudget)) && TimeBudget <= TimeSpan.Zero)
            {
                ThrowTerminatingError(Errors.InvalidArgument("InvalidTimeBudget", "TimeBudget", TimeBudget,
                    "-TimeBudget must be more than 0: give seconds (600) or a time span ('00:10:00'); leave it out for no time limit."));
            }
            if (bound.ContainsKey(nameof(MinVotes)) && bound.ContainsKey(nameof(Voting)))
            {
                ThrowTerminatingError(Errors.InvalidArgument("VotingConflict", "Voting", Voting, "Give -MinVotes or -Voting, not both."));
            }
            // Before any input is read, so a mistyped path fails at once rather than after a long read.
            groundTruth = ImageInfoSource.Resolve(this, GroundTruth, nameof(GroundTruth), imagesOnly: false, needsAnnotations: true, masks: IouType == IouType.Segm);
            if (ImageInfo != null) imageInfo = ImageInfoSource.Resolve(this, ImageInfo, nameof(ImageInfo), imagesOnly: true);
            base.BeginProcessing();
        }

        protected override void Accept(Detection detection) => ensemble.Add(detection);

        protected override void EndProcessing()
        {
            if (ensemble.ImageCount == 0)
            {
                ThrowTerminatingError(Errors.Create("NoDetections", ErrorCategory.InvalidArgument, null, "No detections to search on; pipe the validation detections of your models into Optimize-Fusion."));
            }
            bool segm = IouType == IouType.Segm;
            var gt = groundTruth;
            var info = imageInfo;
            PrepareMasks(info, segm);
            if (groundTruth.DuplicateAnnotationIdWarning() is string duplicates) WriteWarning(duplicates);
            if (Folds > groundTruth.Images.Count)
            {
                ThrowTerminatingError(Errors.InvalidArgument("TooManyFolds", "Folds", Folds, FusionSearch.TooManyFoldsMessage(Folds, groundTruth)));
            }
            if (MyInvocation.BoundParameters.ContainsKey(nameof(MinVotes)) && MinVotes > ensemble.Models.Count)
            {
                WriteWarning(VotingRuleExtensions.UnreachableVotes(MinVotes, ensemble.Models, false, "every trial keeps nothing"));
            }
            var search = CreateSearch(groundTruth, imageInfo);
            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Searching on {0} detections of {1} images from {2} models ({3}).",
                ensemble.DetectionCount, ensemble.ImageCount, ensemble.Models.Count, string.Join(", ", ensemble.Models)));

            // The search runs on a worker; this thread reports progress and keeps $BoxFusionTrials current,
            // so a Ctrl+C (after which nothing can be written to the pipeline) still leaves the trials finished so far.
            var completed = new ConcurrentQueue<FusionTrial>();
            search.TrialCompleted = completed.Enqueue;
            var work = Task.Run(() => search.Run(Cancellation.Token));
            var finished = new List<FusionTrial>();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            bool stopped = false;
            while (!work.Wait(250))
            {
                int before = finished.Count;
                while (completed.TryDequeue(out var trial)) finished.Add(trial);
                if (finished.Count == before) continue;
                SessionState.PSVariable.Set(TrialsVariable, FusionSearch.Rank(finished).ToArray());
                if (stopped) continue;
                try
                {
                    Report(search, finished.Count, clock);
                }
                catch (PipelineStoppedException)
                {
                    // Ctrl+C: let the worker end its trial, so the variable below holds them all, ranked once more.
                    stopped = true;
                    Cancellation.Cancel();
                }
            }
            try
            {
                work.GetAwaiter().GetResult();
            }
            catch (GroundTruthMaskException e)
            {
                ThrowTerminatingError(MaskReport.GroundTruthError(e, nameof(GroundTruth), gt.HasMasks));
            }
            // Ranked here, after the worker ended, so that these ranks are the last ones set.
            var ranked = search.Ranked();
            SessionState.PSVariable.Set(TrialsVariable, ranked.ToArray());
            if (stopped) throw new PipelineStoppedException();
            Report(search, ranked.Count, clock);
            WriteProgress(new ProgressRecord(4, "Optimizing fusion", "Done") { RecordType = ProgressRecordType.Completed });
            WarnAboutOutcome(ranked);
            foreach (var trial in ranked) WriteObject(trial);
        }

        private FusionSearch CreateSearch(CocoGroundTruth gt, CocoGroundTruth info)
        {
            bool voting = MyInvocation.BoundParameters.ContainsKey(nameof(Voting));
            var rule = Voting;
            var space = new SearchSpace
            {
                Metric = Metric,
                IouType = IouType,
                Folds = Folds,
                MaxTrials = MaxTrials,
                TimeBudget = TimeBudget,
                SearchWeights = !NoWeightSearch,
                BaseOptions = new FusionOptions
                {
                    MaxDetectionsPerImage = MaxDetectionsPerImage,
                    ClassAgnostic = ClassAgnostic.IsPresent,
                    MinVotes = voting ? 1 : MinVotes,
                },
                // Under a voting rule the votes follow the models a trial keeps, as Merge-Detection -Voting counts them.
                MinVotesForModels = voting ? models => rule.MinVotes(models) : (Func<int, int>)null,
                // A file as its full path, so that the splatted Parameters clip the same from any folder; records as given.
                ImageInfoArgument = info == null ? null : info.Path ?? ImageInfo,
            };
            if (Method != null) space.Methods = Method.Distinct().ToArray();
            if (IouThreshold != null) space.IouThresholds = IouThreshold.Distinct().ToArray();
            if (SkipBoxThreshold != null) space.SkipBoxThresholds = SkipBoxThreshold.Distinct().ToArray();
            if (ConfidenceType != null) space.ConfidenceTypes = ConfidenceType.Distinct().ToArray();
            if (WeightValues != null) space.WeightValues = WeightValues.Distinct().ToArray();
            if (MaskThreshold != null) space.MaskThresholds = MaskThreshold.Distinct().ToArray();
            try
            {
                return new FusionSearch(ensemble, gt, info, space);
            }
            catch (UnknownImageException e)
            {
                ThrowTerminatingError(Errors.Create("ImageNotInGroundTruth", ErrorCategory.ObjectNotFound, e.ImageId, e.Message, e));
                return null;
            }
            catch (AmbiguousImageIdException e)
            {
                ThrowTerminatingError(Errors.Create("AmbiguousImageId", ErrorCategory.InvalidData, e.ImageId, e.Message, e));
                return null;
            }
        }

        /// <summary>Masks checked and sized as Merge-Detection does; with -IouType Segm, box-only input is pointed out.</summary>
        private void PrepareMasks(Coco.CocoGroundTruth info, bool segm)
        {
            double[] widths = null, heights = null;
            if (info != null)
            {
                int n = ensemble.ImageCount;
                widths = new double[n];
                heights = new double[n];
                for (int i = 0; i < n; i++)
                {
                    bool known = info.TryFindImage(ensemble.ImageIds[i], out var image);
                    widths[i] = known ? image.Width : double.NaN;
                    heights[i] = known ? image.Height : double.NaN;
                }
            }
            MaskReport.BeforeFusion(this, ensemble, widths, heights);
            if (segm && ensemble.MaskCount == 0)
                WriteWarning("-IouType Segm: no detection has a mask, so every detection is scored with its box as the mask.");
            else if (!segm && ensemble.MaskCount > 0 && MyInvocation.BoundParameters.ContainsKey(nameof(MaskThreshold)))
                WriteWarning("-MaskThreshold is searched only with -IouType Segm; it is ignored.");
        }

        private int lastPercent;

        private void Report(FusionSearch search, int finished, System.Diagnostics.Stopwatch clock)
        {
            int planned = Math.Max(finished, search.PlannedTrials);
            int percent = (int)(100L * finished / Math.Max(1, planned));
            if (TimeBudget > TimeSpan.Zero) percent = Math.Max(percent, (int)Math.Min(100, 100 * clock.Elapsed.Ticks / TimeBudget.Ticks));
            lastPercent = Math.Max(lastPercent, percent); // the plan only shrinks, but never let the bar go back
            var best = search.Best;
            string status = best == null
                ? string.Format(CultureInfo.InvariantCulture, "{0} of {1} trials", finished, planned)
                : string.Format(CultureInfo.InvariantCulture, "{0} of {1} trials, best {2} {3:0.0000}: {4} IoU {5:0.###}{6}",
                    finished, planned, Metric, best.Score, best.Method, best.IouThreshold, best.Weights.All(w => w == 1) ? "" : ", " + best.WeightText);
            WriteProgress(new ProgressRecord(4, "Optimizing fusion", status)
            {
                PercentComplete = lastPercent,
                SecondsRemaining = TimeBudget > TimeSpan.Zero ? (int)Math.Max(0, (TimeBudget - clock.Elapsed).TotalSeconds) : -1,
            });
        }

        /// <summary>Says what the ranking alone would not: a budget that allowed no trial, a winner whose scores go above 1.</summary>
        private void WarnAboutOutcome(IReadOnlyList<FusionTrial> ranked)
        {
            if (ranked.Count == 0)
            {
                WriteWarning(string.Format(CultureInfo.InvariantCulture,
                    "The time budget ({0}) ended before a single trial could run, so nothing was searched. -TimeBudget takes seconds (600) or a time span ('00:10:00').",
                    TimeBudget));
                return;
            }
            var top = ranked[0];
            if (top.ScoresAboveOne == 0) return;
            var inRange = ranked.FirstOrDefault(t => t.ScoresAboveOne == 0);
            WriteWarning(string.Format(CultureInfo.InvariantCulture,
                "The best trial gives {0} fused scores above 1 (WBF -ConfidenceType Avg with unequal weights, as ensemble-boxes does): {1} depends only on their order, but Merge-Detection will warn and a challenge server may reject them.{2}",
                top.ScoresAboveOne, Metric, inRange == null
                    ? " Include BoxAndModelAvg or AbsentModelAwareAvg in -ConfidenceType to find settings that keep them in [0, 1]."
                    : string.Format(CultureInfo.InvariantCulture, " The best trial that keeps them in [0, 1] is rank {0} ({1} {2:0.0000}).", inRange.Rank, Metric, inRange.Score)));
        }
    }
}
