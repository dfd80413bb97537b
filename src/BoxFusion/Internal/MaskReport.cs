using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using BoxFusion.Evaluation;
using BoxFusion.Fusion;

namespace BoxFusion.Commands
{
    /// <summary>What the cmdlets say about masks: one message per kind of problem, with a count and the first case.</summary>
    internal static class MaskReport
    {
        /// <summary>After a segm evaluation: detections scored without a mask (warning) or with a mask of the wrong size (error).</summary>
        public static void AfterEvaluation(PSCmdlet cmdlet, CocoStats stats, IReadOnlyList<Detection> detections, string group)
        {
            string prefix = group == null ? "" : group + ": ";
            if (stats.MaskSizeMismatches > 0)
            {
                var first = detections[stats.FirstMaskSizeMismatch];
                cmdlet.WriteError(Errors.Create("MaskSizeMismatch", ErrorCategory.InvalidData, first, string.Format(CultureInfo.InvariantCulture,
                    "{0}{1} detection{2} {3} a mask whose size differs from the image's in the ground truth (first: {4}, mask {5}x{6}); such masks match nothing (pycocotools gives them IoU -1).",
                    prefix, stats.MaskSizeMismatches, stats.MaskSizeMismatches == 1 ? "" : "s", stats.MaskSizeMismatches == 1 ? "has" : "have",
                    first, first.Mask.Height, first.Mask.Width)));
            }
            if (stats.DetectionsWithoutMask > 0)
            {
                cmdlet.WriteWarning(string.Format(CultureInfo.InvariantCulture,
                    "{0}{1} of {2} detections have no mask; they were scored with their box as the mask, as pycocotools does for box results.",
                    prefix, stats.DetectionsWithoutMask, stats.DetectionCount));
            }
        }

        /// <summary>
        /// Before fusing: masks that cannot share their image's size leave their detection out (one error per reason,
        /// with the count and the first); input where only some detections have masks gets one warning.
        /// </summary>
        public static void BeforeFusion(PSCmdlet cmdlet, DetectionEnsemble ensemble, double[] widths, double[] heights)
        {
            if (ensemble.MaskCount == 0) return;
            var check = ensemble.CheckMasks(widths, heights);
            foreach (var (reason, count, first) in check.Rejected)
            {
                string what = reason == MaskRejection.SizeMismatch
                    ? "a mask whose size differs from its image's" + (widths != null ? " (-ImageInfo)" : " (the first mask of the image)")
                    : "a polygon mask but no image size to rasterise it (give -ImageInfo)";
                cmdlet.WriteError(Errors.Create(reason == MaskRejection.SizeMismatch ? "MaskSizeMismatch" : "PolygonMaskWithoutImageSize", ErrorCategory.InvalidData, first,
                    string.Format(CultureInfo.InvariantCulture, "{0} detection{1} {2} {3}; {4} left out (first: {5}).",
                        count, count == 1 ? "" : "s", count == 1 ? "has" : "have", what, count == 1 ? "it was" : "they were", first)));
            }
            if (ensemble.MaskCount < ensemble.DetectionCount)
            {
                cmdlet.WriteWarning(string.Format(CultureInfo.InvariantCulture,
                    "{0} of {1} detections have no mask; each fused mask comes from the masked members of its cluster (a cluster without any has no mask).",
                    ensemble.DetectionCount - ensemble.MaskCount, ensemble.DetectionCount));
            }
        }

        /// <summary>A ground-truth annotation without a usable mask: GroundTruthMask&lt;Problem&gt;, naming the annotation.</summary>
        public static ErrorRecord GroundTruthError(GroundTruthMaskException e, string parameter, bool maskedLoaded) =>
            Errors.Create(parameter + "Mask" + e.Problem, ErrorCategory.InvalidData, (object)e.FilePath ?? e.AnnotationId,
                "-" + parameter + ": " + e.Message + (e.Problem == MaskProblem.Missing && !maskedLoaded ? " This ground truth was loaded without masks: give the annotations file's path, and masks are read from it." : ""), e);
    }
}
