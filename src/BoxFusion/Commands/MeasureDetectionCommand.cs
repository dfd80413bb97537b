using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using BoxFusion.Coco;
using BoxFusion.Evaluation;

namespace BoxFusion.Commands
{
    /// <summary>Scores detections with COCO mAP (boxes or masks) against a ground truth, exactly as pycocotools does; per model if asked.</summary>
    [Cmdlet(VerbsDiagnostic.Measure, "Detection", DefaultParameterSetName = InputSet)]
    [Alias("Measure-Detections")]
    [OutputType(typeof(EvaluationResult))]
    public sealed class MeasureDetectionCommand : DetectionInputCommand
    {
        private const string AllName = "(all)";
        private readonly Dictionary<string, List<Detection>> groups = new Dictionary<string, List<Detection>>(StringComparer.Ordinal);
        private readonly List<string> groupOrder = new List<string>();
        private readonly CancellationTokenSource cancel = new CancellationTokenSource();

        /// <summary>The COCO annotations file (or a loaded ground truth) to score against.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNull]
        public object GroundTruth { get; set; }

        /// <summary>None: one result for all detections. Model: one result per model (fused detections are grouped under their method).</summary>
        [Parameter]
        public EvaluationGrouping GroupBy { get; set; } = EvaluationGrouping.None;

        [Parameter]
        public SwitchParameter PerCategory { get; set; }

        /// <summary>Bbox compares boxes; Segm compares instance masks (pycocotools' iouType 'segm').</summary>
        [Parameter]
        public IouType IouType { get; set; } = IouType.Bbox;

        /// <summary>COCOeval's maxDets: AR is reported for the first three, AP for the last.</summary>
        [Parameter]
        [ValidateCount(3, 3)]
        [ValidateRange(1, int.MaxValue)]
        public int[] MaxDetections { get; set; } = { 1, 10, 100 };

        protected override void Accept(Detection d)
        {
            string key = GroupBy == EvaluationGrouping.Model ? d.Model ?? "" : AllName;
            if (!groups.TryGetValue(key, out var list))
            {
                groups.Add(key, list = new List<Detection>());
                groupOrder.Add(key);
            }
            list.Add(d);
        }

        protected override void EndProcessing()
        {
            bool segm = IouType == IouType.Segm;
            var gt = ImageInfoSource.Resolve(this, GroundTruth, nameof(GroundTruth), imagesOnly: false, needsAnnotations: true, masks: segm);
            if (groupOrder.Count == 0) groupOrder.Add(AllName); // pycocotools scores an empty result list too
            var options = new EvaluationOptions { MaxDetections = MaxDetections, PerCategory = PerCategory.IsPresent, IouType = IouType };
            string activity = segm ? "Measuring detections (COCO segm)" : "Measuring detections (COCO bbox)";
            for (int i = 0; i < groupOrder.Count; i++)
            {
                string name = groupOrder[i];
                var detections = groups.TryGetValue(name, out var list) ? list : new List<Detection>();
                if (groupOrder.Count > 1 || detections.Count > 200000)
                {
                    WriteProgress(new ProgressRecord(3, activity,
                        string.Format(CultureInfo.InvariantCulture, "{0} ({1} of {2})", name, i + 1, groupOrder.Count))
                    { PercentComplete = 100 * i / groupOrder.Count });
                }
                var stats = Evaluate(gt, detections, options, name);
                if (stats == null) continue;
                if (segm) MaskReport.AfterEvaluation(this, stats, detections, name == AllName ? null : name);
                WriteObject(new EvaluationResult(name, gt.Path, stats));
            }
            WriteProgress(new ProgressRecord(3, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }

        /// <summary>Runs the evaluation off the pipeline thread so Ctrl+C stops it promptly.</summary>
        private CocoStats Evaluate(CocoGroundTruth gt, List<Detection> detections, EvaluationOptions options, string name)
        {
            var work = Task.Run(() => CocoEvaluator.Evaluate(gt, detections, options, cancel.Token));
            try
            {
                return work.GetAwaiter().GetResult();
            }
            catch (UnknownImageException e)
            {
                WriteError(Errors.Create("ImageNotInGroundTruth", ErrorCategory.ObjectNotFound, e.ImageId,
                    (name == AllName ? "" : name + ": ") + e.Message + " A challenge server rejects such results; nothing was scored for this group.", e));
                return null;
            }
            catch (GroundTruthMaskException e)
            {
                ThrowTerminatingError(MaskReport.GroundTruthError(e, nameof(GroundTruth), gt.HasMasks));
                return null;
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
        }

        protected override void StopProcessing()
        {
            cancel.Cancel();
            base.StopProcessing();
        }
    }

    /// <summary>How Measure-Detection groups its input.</summary>
    public enum EvaluationGrouping
    {
        None,
        Model,
    }
}
