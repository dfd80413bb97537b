using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using BoxFusion.Coco;
using BoxFusion.Evaluation;

namespace BoxFusion.Commands
{
    /// <summary>
    /// Per image, what COCO's matching makes of each detection at one IoU threshold: true positives with their
    /// ground-truth box, false positives with a reason, missed boxes. Each model is compared on its own.
    /// </summary>
    [Cmdlet(VerbsData.Compare, "Detection", DefaultParameterSetName = InputSet)]
    [OutputType(typeof(DetectionMatch))]
    public sealed class CompareDetectionCommand : DetectionInputCommand
    {
        private readonly Dictionary<string, List<Detection>> groups = new Dictionary<string, List<Detection>>(ModelNames.Comparer);
        private readonly List<string> groupOrder = new List<string>();
        private CocoGroundTruth gt;

        /// <summary>The COCO annotations file (or a loaded ground truth) to compare with.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNull]
        public object GroundTruth { get; set; }

        /// <summary>The IoU a detection needs with a ground-truth box to match it.</summary>
        [Parameter]
        [ValidateRange(0.0, 1.0)]
        public double IouThreshold { get; set; } = 0.5;

        /// <summary>Detections kept per image and category, by score, as COCO's largest maxDets.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int MaxDetections { get; set; } = 100;

        // Before any input is read: a mistyped -GroundTruth fails at once, not after a long read.
        protected override void BeginProcessing()
        {
            gt = ImageInfoSource.Resolve(this, GroundTruth, nameof(GroundTruth), imagesOnly: false, needsAnnotations: true);
            base.BeginProcessing();
        }

        protected override void Accept(Detection detection)
        {
            string key = detection.Model ?? "";
            if (!groups.TryGetValue(key, out var list))
            {
                groups.Add(key, list = new List<Detection>());
                groupOrder.Add(key);
            }
            list.Add(detection);
        }

        protected override void EndProcessing()
        {
            var options = new ComparisonOptions { IouThreshold = IouThreshold, MaxDetections = MaxDetections };
            for (int i = 0; i < groupOrder.Count; i++)
            {
                string model = groupOrder[i];
                if (groupOrder.Count > 1)
                {
                    WriteProgress(new ProgressRecord(4, "Comparing detections with the ground truth",
                        string.Format(CultureInfo.InvariantCulture, "{0} ({1} of {2})", model, i + 1, groupOrder.Count))
                    { PercentComplete = 100 * i / groupOrder.Count });
                }
                // off the pipeline thread, so Ctrl+C stops it promptly
                var detections = groups[model];
                var work = Task.Run(() => DetectionComparer.Compare(gt, detections, model, options, Cancellation.Token));
                DetectionComparison result;
                try
                {
                    result = work.GetAwaiter().GetResult();
                }
                catch (OperationCanceledException)
                {
                    throw new PipelineStoppedException();
                }
                if (result.NotInGroundTruth.Count > 0) ReportUnknownImages(gt, model, result.NotInGroundTruth);
                if (result.AmbiguousImage.Count > 0)
                {
                    var ids = result.AmbiguousImage.Select(d => d.ImageId).Distinct().ToList();
                    WriteError(Errors.Create("AmbiguousImageId", ErrorCategory.InvalidData, ids[0], string.Format(CultureInfo.InvariantCulture,
                        "{0}: {1} detection(s) name images that several images of the ground truth fit (first: {2}); they were not compared. Use the ground truth's ids or full file names.",
                        model, result.AmbiguousImage.Count, string.Join(", ", ids.Take(5).Select(ImageIds.Describe)))));
                }
                foreach (var match in result.Matches) WriteObject(match);
            }
            if (groupOrder.Count > 1)
                WriteProgress(new ProgressRecord(4, "Comparing detections with the ground truth", "Done") { RecordType = ProgressRecordType.Completed });
        }

        private void ReportUnknownImages(CocoGroundTruth gt, string model, IReadOnlyList<Detection> unknown)
        {
            var ids = unknown.Select(d => d.ImageId).Distinct().ToList();
            string where = gt.Path == null ? " the ground truth" : " the ground truth '" + gt.Path + "'";
            string message = string.Format(CultureInfo.InvariantCulture,
                "{0}: {1} detection(s) on {2} image(s) that are not in{3} (first: {4}) were not compared; the others were.",
                model, unknown.Count, ids.Count, where, string.Join(", ", ids.Take(5).Select(ImageIds.Describe)));
            WriteError(Errors.Create("ImageNotInGroundTruth", ErrorCategory.ObjectNotFound, ids[0], message));
        }
    }
}
