using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using BoxFusion.Coco;
using BoxFusion.Evaluation;
using BoxFusion.Json;

namespace BoxFusion.Commands
{
    /// <summary>Scores detections with COCO mAP (boxes or masks) against a ground truth, exactly as pycocotools does; per model if asked.</summary>
    [Cmdlet(VerbsDiagnostic.Measure, "Detection", DefaultParameterSetName = InputSet)]
    [Alias("Measure-Detections")]
    [OutputType(typeof(EvaluationResult), typeof(CategoryResult))]
    public sealed class MeasureDetectionCommand : DetectionInputCommand
    {
        private const string AllName = "(all)";
        private readonly Dictionary<string, List<Detection>> groups = new Dictionary<string, List<Detection>>(ModelNames.Comparer);
        // -Path with boxes: each group's detections as columns of values, read from the files with no object per record.
        private readonly Dictionary<string, DetectionColumns> columnGroups = new Dictionary<string, DetectionColumns>(ModelNames.Comparer);
        private DetectionColumns fileColumns;   // the current file's group, from its first block
        private string filePath, fileModel;
        private readonly List<string> groupOrder = new List<string>();
        private readonly List<string> modelsSeen = new List<string>();
        private readonly HashSet<string> modelSet = new HashSet<string>(ModelNames.Comparer);
        private string lastModel;
        private CocoGroundTruth groundTruth;

        /// <summary>The COCO annotations file (or a loaded ground truth) to score against.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNull]
        public object GroundTruth { get; set; }

        /// <summary>None: one result for all detections. Model: one result per model (fused detections are grouped under their method).</summary>
        [Parameter]
        public EvaluationGrouping GroupBy { get; set; } = EvaluationGrouping.None;

        /// <summary>One row per category (and group) instead of one summary per group.</summary>
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

        protected override void BeginProcessing()
        {
            // Before any input is read, so a mistyped path fails at once rather than after a long read.
            groundTruth = ImageInfoSource.Resolve(this, GroundTruth, nameof(GroundTruth), imagesOnly: false, needsAnnotations: true, masks: IouType == IouType.Segm);
            base.BeginProcessing();
        }

        /// <summary>Segm needs each detection's mask as an object, so only boxes are read as values.</summary>
        protected override Action<RecordBlock> BlockTaker => IouType == IouType.Segm ? null : (Action<RecordBlock>)TakeBlock;

        protected override void BeginFile(string path, string model)
        {
            filePath = path;
            fileModel = model ?? "";
            fileColumns = null;
        }

        private void TakeBlock(RecordBlock block)
        {
            if (fileColumns == null)
            {
                fileColumns = ColumnsFor(fileModel);
                fileColumns.ReserveForFile(block.Length);
            }
            fileColumns.Add(block, filePath);
        }

        /// <summary>The columns of a file's group, at the file's first block (so a file without records adds no group, as with objects).</summary>
        private DetectionColumns ColumnsFor(string model)
        {
            if (GroupBy == EvaluationGrouping.None) NoteModel(model);
            string key = GroupBy == EvaluationGrouping.Model ? model : AllName;
            if (!columnGroups.TryGetValue(key, out var columns))
            {
                columnGroups.Add(key, columns = new DetectionColumns());
                groupOrder.Add(key);
            }
            return columns;
        }

        protected override void Accept(Detection detection)
        {
            if (GroupBy == EvaluationGrouping.None) NoteModel(detection.Model ?? "");
            string key = GroupBy == EvaluationGrouping.Model ? detection.Model ?? "" : AllName;
            if (!groups.TryGetValue(key, out var list))
            {
                groups.Add(key, list = new List<Detection>());
                groupOrder.Add(key);
            }
            list.Add(detection);
        }

        /// <summary>The distinct models of the input, in order; a file's detections share one name object, so this is cheap.</summary>
        private void NoteModel(string model)
        {
            if (ReferenceEquals(model, lastModel)) return;
            lastModel = model;
            if (modelSet.Add(model)) modelsSeen.Add(model);
        }

        protected override void EndProcessing()
        {
            if (modelsSeen.Count > 1)
            {
                WriteWarning(string.Format(CultureInfo.InvariantCulture,
                    "The input holds {0} models ({1}{2}), scored together as one set. To score each model on its own, add -GroupBy Model; to score an ensemble, fuse them first with Merge-Detection.",
                    modelsSeen.Count, string.Join(", ", modelsSeen.Take(5)), modelsSeen.Count > 5 ? ", ..." : ""));
            }
            bool segm = IouType == IouType.Segm;
            var gt = groundTruth;
            if (gt.DuplicateAnnotationIdWarning() is string duplicates) WriteWarning(duplicates);
            if (groupOrder.Count == 0) groupOrder.Add(AllName); // pycocotools scores an empty result list too
            // The curves behind the numbers go with every result, for Export-PrecisionRecallChart and for users' own plots.
            var options = new EvaluationOptions { MaxDetections = MaxDetections, PerCategory = PerCategory.IsPresent, IouType = IouType, KeepPrecisionRecall = true };
            string activity = segm ? "Measuring detections (COCO segm)" : "Measuring detections (COCO bbox)";
            for (int i = 0; i < groupOrder.Count; i++)
            {
                string name = groupOrder[i];
                columnGroups.TryGetValue(name, out var columns);
                var detections = columns != null ? null : groups.TryGetValue(name, out var list) ? list : new List<Detection>();
                if (groupOrder.Count > 1 || (columns?.Count ?? detections.Count) > 200000)
                {
                    WriteProgress(new ProgressRecord(3, activity,
                        string.Format(CultureInfo.InvariantCulture, "{0} ({1} of {2})", name, i + 1, groupOrder.Count))
                    { PercentComplete = 100 * i / groupOrder.Count });
                }
                var stats = Evaluate(gt, name, cancel => columns != null
                    ? CocoEvaluator.Evaluate(gt, columns, options, cancel)
                    : CocoEvaluator.Evaluate(gt, detections, options, cancel));
                columns = null;
                columnGroups.Remove(name);   // its arrays can go before the next group is scored
                if (stats == null) continue;
                if (segm) MaskReport.AfterEvaluation(this, stats, detections, name == AllName ? null : name);
                if (PerCategory.IsPresent)
                {
                    foreach (var category in stats.PerCategory) WriteObject(new CategoryResult(name, gt.Path, category));
                }
                else WriteObject(new EvaluationResult(name, gt.Path, stats));
            }
            WriteProgress(new ProgressRecord(3, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }

        /// <summary>Runs the evaluation off the pipeline thread so Ctrl+C stops it promptly.</summary>
        private CocoStats Evaluate(CocoGroundTruth gt, string name, Func<CancellationToken, CocoStats> evaluate)
        {
            var work = Task.Run(() => evaluate(Cancellation.Token));
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
            catch (AmbiguousImageIdException e)
            {
                WriteError(Errors.Create("AmbiguousImageId", ErrorCategory.InvalidData, e.ImageId,
                    (name == AllName ? "" : name + ": ") + e.Message + " Nothing was scored for this group.", e));
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
    }

    /// <summary>How Measure-Detection groups its input.</summary>
    public enum EvaluationGrouping
    {
        None,
        Model,
    }
}
