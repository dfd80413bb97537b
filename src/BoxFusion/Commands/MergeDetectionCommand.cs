using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using BoxFusion.Coco;
using BoxFusion.Fusion;
using BoxFusion.Json;

namespace BoxFusion.Commands
{
    /// <summary>Fuses the detections of several models per image: WBF, NMS, Soft-NMS or NMW.</summary>
    [Cmdlet(VerbsData.Merge, "Detection", DefaultParameterSetName = InputSet)]
    [Alias("Merge-Detections")]
    [OutputType(typeof(Detection))]
    public sealed class MergeDetectionCommand : DetectionInputCommand
    {
        private readonly DetectionEnsemble ensemble = new DetectionEnsemble();
        /// <summary>-Path: follows the files as they are read, to stream them when they are grouped by image (see <see cref="GroupedFiles"/>).</summary>
        private EnsembleLayout layout;
        private CocoGroundTruth imageInfo;

        [Parameter]
        public FusionMethod Method { get; set; } = FusionMethod.WBF;

        /// <summary>Boxes overlapping more than this are fused (or suppressed). Default: 0.55 for WBF and NMW, 0.5 for NMS and SoftNMS.</summary>
        [Parameter]
        [ValidateRange(0.0, 1.0)]
        [Alias("IouThr")]
        public double IouThreshold { get; set; }

        [Parameter]
        [ValidateRange(0.0, 1.0)]
        [Alias("SkipBoxThr")]
        public double SkipBoxThreshold { get; set; }

        [Parameter]
        [Alias("ConfType")]
        public ConfidenceType ConfidenceType { get; set; } = ConfidenceType.Avg;

        [Parameter]
        public SwitchParameter AllowOverflow { get; set; }

        /// <summary>Per-model weights: a list in model order, or a hashtable @{ model = weight } (unnamed models get 1).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ModelNameCompleter))]
        public object Weight { get; set; }

        /// <summary>Image sizes for clipping boxes to their image: a COCO annotations file or its 'images' records.</summary>
        [Parameter]
        public object ImageInfo { get; set; }

        [Parameter]
        public SoftNmsFunction SoftNmsFunction { get; set; } = SoftNmsFunction.Gaussian;

        [Parameter]
        [ValidateRange(1e-9, double.MaxValue)]
        public double Sigma { get; set; } = 0.5;

        [Parameter]
        [ValidateRange(0.0, 1.0)]
        public double ScoreThreshold { get; set; } = 0.001;

        [Parameter]
        public SwitchParameter ClassAgnostic { get; set; }

        /// <summary>Keep the N best fused boxes per image; 0 keeps all.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int MaxDetectionsPerImage { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int MinVotes { get; set; } = 1;

        [Parameter]
        public VotingRule Voting { get; set; }

        /// <summary>WBF and NMW masks: a pixel is in the fused mask when the weights of the members covering it reach this share of the cluster's weight.</summary>
        [Parameter]
        [ValidateRange(1e-9, 1.0)]
        public double MaskThreshold { get; set; } = 0.5;

        /// <summary>Box: detections overlap by box IoU (ensemble-boxes). Mask: detections that both have masks overlap by mask IoU.</summary>
        [Parameter]
        public ClusterBy ClusterBy { get; set; } = ClusterBy.Box;

        /// <summary>Threads that fuse images; 0 uses every core.</summary>
        [Parameter]
        [ValidateRange(0, 1024)]
        public int ThrottleLimit { get; set; }

        protected override void BeginProcessing()
        {
            if (MyInvocation.BoundParameters.ContainsKey(nameof(MinVotes)) && MyInvocation.BoundParameters.ContainsKey(nameof(Voting)))
            {
                ThrowTerminatingError(Errors.InvalidArgument("VotingConflict", "Voting", Voting, "Give -MinVotes or -Voting, not both."));
            }
            // Before any input is read, so a mistyped path fails at once rather than after a long read.
            if (ImageInfo != null) imageInfo = ImageInfoSource.Resolve(this, ImageInfo, nameof(ImageInfo), imagesOnly: true);
            base.BeginProcessing();
            if (ParameterSetName != InputSet) layout = new EnsembleLayout(GroupedFiles.HoldLimit());
            WarnAboutUnusedOptions();
            // No GCSettings.LatencyMode here: it is process-wide, so concurrent runspaces undid each other's changes
            // (issue 12); and timed with and without SustainedLowLatency (2000 images, 5 fresh runs each) it made no
            // difference beyond the noise in CPU time or GC pauses.
        }

        /// <summary>Options of another method are almost always a slip (e.g. -Sigma with WBF): say so instead of ignoring them silently.</summary>
        private void WarnAboutUnusedOptions()
        {
            var unused = new List<string>();
            var bound = MyInvocation.BoundParameters;
            bool wbf = Method == FusionMethod.WBF, nmw = Method == FusionMethod.NMW, soft = Method == FusionMethod.SoftNMS;
            if (!wbf && !nmw && bound.ContainsKey(nameof(SkipBoxThreshold))) unused.Add("-SkipBoxThreshold");
            if (!wbf && bound.ContainsKey(nameof(ConfidenceType))) unused.Add("-ConfidenceType");
            if (!wbf && bound.ContainsKey(nameof(AllowOverflow))) unused.Add("-AllowOverflow");
            if (!soft && bound.ContainsKey(nameof(SoftNmsFunction))) unused.Add("-SoftNmsFunction");
            if (!soft && bound.ContainsKey(nameof(Sigma))) unused.Add("-Sigma");
            if (!soft && bound.ContainsKey(nameof(ScoreThreshold))) unused.Add("-ScoreThreshold");
            if (!wbf && !nmw && bound.ContainsKey(nameof(MaskThreshold))) unused.Add("-MaskThreshold");
            if (unused.Count > 0)
            {
                WriteWarning(string.Join(", ", unused) + " do" + (unused.Count == 1 ? "es" : "") + " not apply to -Method " + Method + " and " + (unused.Count == 1 ? "is" : "are") + " ignored.");
            }
        }

        protected override void BeginFile(string path, string model) => layout.BeginFile(path, model);

        /// <summary>-ThrottleLimit bounds the files parsed at once too.</summary>
        protected override int ReadThreads => ThrottleLimit;

        protected override void Accept(Detection detection)
        {
            if (layout == null)
            {
                ensemble.Add(detection);
                return;
            }
            layout.Add(detection);
            if (layout.State == LayoutState.MustReadAgain) GroupedFiles.ReadAgain(this, layout, Cancellation.Token);
        }

        /// <summary>-Path: records are read as values, with no Detection object per record (millions of them on large files).</summary>
        protected override Action<RecordBlock> BlockTaker => layout != null ? AcceptBlock : (Action<RecordBlock>)null;

        private void AcceptBlock(RecordBlock block)
        {
            layout.Add(block);
            if (layout.State == LayoutState.MustReadAgain) GroupedFiles.ReadAgain(this, layout, Cancellation.Token);
        }

        protected override void EndProcessing()
        {
            IFusionSource source = layout != null ? layout.ToSource() : new EnsembleSource(ensemble);
            if (source.ImageIds.Count == 0) return;
            if (layout != null) GroupedFiles.DescribeWay(this, layout);
            FusionContext context = CreateContext(source);
            SizesFor(source.ImageIds, out double[] widths, out double[] heights, out bool[] unknown);
            // Streaming is only chosen for files without masks (EnsembleLayout), so masks are always held.
            var held = (source as EnsembleSource)?.Ensemble;
            if (held != null) MaskReport.BeforeFusion(this, held, widths, heights);
            if (ClusterBy == ClusterBy.Mask && (held == null || held.MaskCount == 0))
                WriteWarning("-ClusterBy Mask: no detection has a mask, so detections are clustered by their boxes.");
            int above = Emit(source, context, widths, heights, unknown);
            if (above > 0 && !context.Options.AllowOverflow)
            {
                WriteWarning(string.Format(CultureInfo.InvariantCulture,
                    "{0} fused scores are above 1: WBF with -ConfidenceType Avg and unequal weights can do that (as ensemble-boxes does). Use -ConfidenceType BoxAndModelAvg or AbsentModelAwareAvg to keep scores in [0, 1].", above));
            }
        }

        /// <summary>
        /// Writes fused images in order while later images are fused on other threads, so each result can be
        /// written downstream and dropped early. Reports progress; Ctrl+C cancels the workers.
        /// </summary>
        private int Emit(IFusionSource source, FusionContext context, double[] widths, double[] heights, bool[] unknown)
        {
            var done = new StrongBox<int>();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            long nextReport = 500;
            int above = 0, index = 0;
            string activity = "Merging detections (" + Method + ")";
            try
            {
                foreach (var image in source.FuseInOrder(context, widths, heights, Cancellation.Token, done))
                {
                    if (unknown == null || !unknown[index])
                    {
                        foreach (var d in image)
                        {
                            if (d.Score > 1) above++;
                            WriteObject(d); // one by one: cheaper per object than WriteObject(array, true)
                        }
                    }
                    index++;
                    if (clock.ElapsedMilliseconds >= nextReport)
                    {
                        nextReport = clock.ElapsedMilliseconds + 250;
                        WriteProgress(new ProgressRecord(2, activity, string.Format(CultureInfo.InvariantCulture, "{0} of {1} images", index, source.ImageIds.Count))
                        {
                            PercentComplete = (int)(100L * index / source.ImageIds.Count),
                        });
                    }
                }
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
            catch (FileChangedException e)
            {
                ThrowTerminatingError(GroupedFiles.Changed(e));
            }
            if (source is StreamingFusion streaming) GroupedFiles.DescribeStreaming(this, streaming);
            if (nextReport > 500) WriteProgress(new ProgressRecord(2, activity, "Done") { RecordType = ProgressRecordType.Completed });
            return above;
        }

        private FusionContext CreateContext(IFusionSource source)
        {
            var bound = MyInvocation.BoundParameters;
            var options = new FusionOptions
            {
                Method = Method,
                IouThreshold = bound.ContainsKey(nameof(IouThreshold)) ? IouThreshold : (Method == FusionMethod.NMS || Method == FusionMethod.SoftNMS ? 0.5 : 0.55),
                SkipBoxThreshold = SkipBoxThreshold,
                ConfidenceType = ConfidenceType,
                AllowOverflow = AllowOverflow.IsPresent,
                SoftNmsFunction = SoftNmsFunction,
                Sigma = Sigma,
                ScoreThreshold = ScoreThreshold,
                ClassAgnostic = ClassAgnostic.IsPresent,
                MaxDetectionsPerImage = MaxDetectionsPerImage,
                MaxDegreeOfParallelism = ThrottleLimit,
                MaskThreshold = MaskThreshold,
                ClusterBy = ClusterBy,
            };
            try
            {
                var weights = WeightResolver.Resolve(Weight, source.Models);
                var context = new FusionContext(options, source.Models, weights);
                options.MinVotes = bound.ContainsKey(nameof(Voting)) ? Voting.MinVotes(context.ActiveModelCount) : MinVotes;
                if (options.MinVotes > context.ActiveModelCount)
                {
                    var voters = source.Models.Where((m, i) => context.RawWeights[i] > 0);
                    WriteWarning(VotingRuleExtensions.UnreachableVotes(options.MinVotes, voters, context.ActiveModelCount < source.Models.Count, "nothing is output"));
                }
                WriteVerbose(string.Format(CultureInfo.InvariantCulture, "{0}: {1} detections of {2} images from {3} models ({4}).",
                    Method, source.DetectionCount, source.ImageIds.Count, source.Models.Count, string.Join(", ", source.Models)));
                return context;
            }
            catch (ArgumentException e)
            {
                ThrowTerminatingError(Errors.InvalidArgument("InvalidWeight", "Weight", Weight, e.Message));
                return null;
            }
        }

        /// <summary>Image sizes from -ImageInfo; images it lacks are reported and left out.</summary>
        private void SizesFor(IReadOnlyList<object> imageIds, out double[] widths, out double[] heights, out bool[] unknown)
        {
            widths = heights = null;
            unknown = null;
            var info = imageInfo;
            if (info == null) return;
            int n = imageIds.Count;
            widths = new double[n];
            heights = new double[n];
            unknown = new bool[n];
            var missing = new List<object>();
            for (int i = 0; i < n; i++)
            {
                if (TryFindImage(info, imageIds[i], out var image))
                {
                    widths[i] = image.Width;
                    heights[i] = image.Height;
                    continue;
                }
                unknown[i] = true;
                widths[i] = heights[i] = double.NaN;
                missing.Add(imageIds[i]);
            }
            // One error for all such images (a wrong -ImageInfo file would otherwise give thousands).
            if (missing.Count > 0)
            {
                string where = " the -ImageInfo images" + (info.Path != null ? " of '" + info.Path + "'" : "");
                string message = missing.Count == 1
                    ? "Image " + ImageIds.Describe(missing[0]) + " is not in" + where + "; its detections were left out (a challenge server rejects results for unknown images)."
                    : string.Format(CultureInfo.InvariantCulture, "{0} images are not in{1} (first: {2}); their detections were left out (a challenge server rejects results for unknown images).",
                        missing.Count, where, string.Join(", ", missing.Take(5).Select(ImageIds.Describe)));
                WriteError(Errors.Create("ImageNotInImageInfo", ErrorCategory.ObjectNotFound, missing[0], message));
            }
        }

        /// <summary>An ambiguous name stops the command: clipping to a guessed image's size would be silently wrong.</summary>
        private bool TryFindImage(CocoGroundTruth info, object imageId, out CocoImage image)
        {
            try
            {
                return info.TryFindImage(imageId, out image);
            }
            catch (AmbiguousImageIdException e)
            {
                ThrowTerminatingError(Errors.Create("AmbiguousImageId", ErrorCategory.InvalidData, e.ImageId, "-ImageInfo: " + e.Message, e));
                image = null;
                return false;
            }
        }
    }
}
