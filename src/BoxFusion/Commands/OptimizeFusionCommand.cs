using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
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
        private readonly CancellationTokenSource cancel = new CancellationTokenSource();

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

        [Parameter]
        public TimeSpan TimeBudget { get; set; }

        /// <summary>Image sizes for clipping, as Merge-Detection -ImageInfo (pass the same to Merge-Detection later).</summary>
        [Parameter]
        public object ImageInfo { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int MaxDetectionsPerImage { get; set; }

        protected override void BeginProcessing()
        {
            if (TimeBudget < TimeSpan.Zero)
            {
                ThrowTerminatingError(Errors.InvalidArgument("NegativeTimeBudget", "TimeBudget", TimeBudget, "-TimeBudget must be positive, e.g. '00:05:00' for five minutes."));
            }
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
            var gt = ImageInfoSource.Resolve(this, GroundTruth, nameof(GroundTruth), imagesOnly: false, needsAnnotations: true, masks: segm);
            var info = ImageInfo != null ? ImageInfoSource.Resolve(this, ImageInfo, nameof(ImageInfo), imagesOnly: true) : null;
            PrepareMasks(info, segm);
            var space = new SearchSpace
            {
                Metric = Metric,
                IouType = IouType,
                Folds = Folds,
                MaxTrials = MaxTrials,
                TimeBudget = TimeBudget,
                SearchWeights = !NoWeightSearch,
                BaseOptions = new FusionOptions { MaxDetectionsPerImage = MaxDetectionsPerImage },
            };
            if (Method != null) space.Methods = Method.Distinct().ToArray();
            if (IouThreshold != null) space.IouThresholds = IouThreshold.Distinct().ToArray();
            if (SkipBoxThreshold != null) space.SkipBoxThresholds = SkipBoxThreshold.Distinct().ToArray();
            if (ConfidenceType != null) space.ConfidenceTypes = ConfidenceType.Distinct().ToArray();
            if (WeightValues != null) space.WeightValues = WeightValues.Distinct().ToArray();
            if (MaskThreshold != null) space.MaskThresholds = MaskThreshold.Distinct().ToArray();

            FusionSearch search;
            try
            {
                search = new FusionSearch(ensemble, gt, info, space);
            }
            catch (UnknownImageException e)
            {
                ThrowTerminatingError(Errors.Create("ImageNotInGroundTruth", ErrorCategory.ObjectNotFound, e.ImageId, e.Message, e));
                return;
            }
            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Searching on {0} detections of {1} images from {2} models ({3}).",
                ensemble.DetectionCount, ensemble.ImageCount, ensemble.Models.Count, string.Join(", ", ensemble.Models)));

            // The search runs on a worker; this thread reports progress and keeps $BoxFusionTrials current,
            // so a Ctrl+C (after which nothing can be written to the pipeline) still leaves the trials finished so far.
            FusionTrial latest = null;
            int finished = 0;
            search.TrialCompleted = t => { Volatile.Write(ref latest, t); Interlocked.Increment(ref finished); };
            var work = Task.Run(() => search.Run(cancel.Token));
            int reported = 0;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!work.Wait(250)) reported = Report(search, Volatile.Read(ref finished), reported, clock);
            IReadOnlyList<FusionTrial> ranked = null;
            try
            {
                ranked = work.GetAwaiter().GetResult();
            }
            catch (GroundTruthMaskException e)
            {
                ThrowTerminatingError(MaskReport.GroundTruthError(e, nameof(GroundTruth), gt.HasMasks));
            }
            Report(search, ranked.Count, reported, clock);
            WriteProgress(new ProgressRecord(4, "Optimizing fusion", "Done") { RecordType = ProgressRecordType.Completed });
            SessionState.PSVariable.Set("global:BoxFusionTrials", ranked.ToArray());
            foreach (var trial in ranked) WriteObject(trial);
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

        private int Report(FusionSearch search, int finished, int reported, System.Diagnostics.Stopwatch clock)
        {
            if (finished == reported) return reported;
            var best = search.Best;
            string status = string.Format(CultureInfo.InvariantCulture, "{0} trials, best {1} {2:0.0000}: {3} IoU {4:0.###}",
                finished, Metric, best?.Score ?? 0, best?.Method, best?.IouThreshold ?? 0);
            var record = new ProgressRecord(4, "Optimizing fusion", status)
            {
                PercentComplete = Math.Min(99, 100 * finished / Math.Max(1, MaxTrials)),
                SecondsRemaining = TimeBudget > TimeSpan.Zero ? (int)Math.Max(0, (TimeBudget - clock.Elapsed).TotalSeconds) : -1,
            };
            WriteProgress(record);
            return finished;
        }

        protected override void StopProcessing()
        {
            cancel.Cancel();
            base.StopProcessing();
        }
    }
}
