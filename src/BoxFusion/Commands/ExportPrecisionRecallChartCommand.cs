using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using BoxFusion.Evaluation;

namespace BoxFusion.Commands
{
    /// <summary>
    /// A PNG chart of precision against recall for one or more Measure-Detection results: one panel per IoU setting
    /// (by default .50, .75 and the mean over .50:.95), one curve per result, each curve's AP in the legend.
    /// </summary>
    [Cmdlet(VerbsData.Export, "PrecisionRecallChart", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportPrecisionRecallChartCommand : PSCmdlet
    {
        internal const string Mean = "0.5:0.95";
        private readonly List<EvaluationResult> results = new List<EvaluationResult>();
        private WriteTarget target;
        private int? permissions;

        /// <summary>Results of Measure-Detection (which carry the precision-recall arrays).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [AllowNull]
        public EvaluationResult InputObject { get; set; }

        /// <summary>The PNG file to write.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>One panel per value: an IoU threshold, or 0.5:0.95 for the mean over all ten (COCO's AP).</summary>
        [Parameter]
        [ValidateSet("0.5", "0.55", "0.6", "0.65", "0.7", "0.75", "0.8", "0.85", "0.9", "0.95", Mean)]
        public string[] IouThreshold { get; set; } = { "0.5", "0.75", Mean };

        /// <summary>A category name or id: curves of that category alone instead of the mean over categories.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Category { get; set; }

        [Parameter]
        [ValidateSet("all", "small", "medium", "large")]
        public string AreaRange { get; set; } = "all";

        [Parameter]
        public string Title { get; set; }

        [Parameter]
        [ValidateRange(200, 8000)]
        public int Width { get; set; } = 1500;

        [Parameter]
        [ValidateRange(200, 8000)]
        public int Height { get; set; } = 500;

        /// <summary>Curve colours in input order; the palette's after these.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] Color { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            // the same checks as Export-Submission: existing folder, no wildcards, only a regular file replaced, only with -Force
            target = PathResolver.ResolveForWriting(this, Path, literal: false, force: Force);
            if (target.Exists) permissions = FileFacts.PermissionsOf(SessionState, target.File);
            GraphicsLoader.Require(this);
        }

        protected override void ProcessRecord()
        {
            var r = InputObject;
            if (r == null) return;
            if (r.PrecisionRecall == null)
            {
                WriteError(Errors.Create("NoPrecisionRecall", ErrorCategory.InvalidData, r,
                    "The result '" + r.Name + "' carries no precision-recall arrays (results made by Measure-Detection do); it is left out of the chart."));
                return;
            }
            results.Add(r);
        }

        protected override void EndProcessing()
        {
            if (results.Count == 0) return;
            int? categoryId = Category == null ? (int?)null : ResolveCategory(results[0].PrecisionRecall);
            string categoryName = null;
            if (categoryId.HasValue)
            {
                var axis = results[0].PrecisionRecall;
                categoryName = axis.CategoryNames[Array.IndexOf(axis.CategoryIds, categoryId.Value)];
            }
            var panels = new List<(string Title, double? Iou, List<(string Name, double[] Curve, double Ap)> Curves)>();
            foreach (string iou in IouThreshold)
            {
                double? threshold = iou == Mean ? (double?)null : double.Parse(iou, CultureInfo.InvariantCulture);
                string title = "IoU " + (threshold.HasValue ? threshold.Value.ToString("0.00", CultureInfo.InvariantCulture) : "0.50:0.95") +
                    (AreaRange == "all" ? "" : ", " + AreaRange + " objects");
                var curves = new List<(string, double[], double)>();
                foreach (var r in results)
                {
                    try
                    {
                        curves.Add((r.Name, r.PrecisionRecall.GetCurve(threshold, categoryId, AreaRange), r.PrecisionRecall.GetAveragePrecision(threshold, categoryId, AreaRange)));
                    }
                    catch (ArgumentException e)
                    {
                        WriteError(Errors.Create("ResultNotComparable", ErrorCategory.InvalidData, r, "The result '" + r.Name + "': " + e.Message.Split('\n')[0].Trim() + " It is left out of the panel " + title + "."));
                    }
                }
                panels.Add((title, threshold, curves));
            }
            string chartTitle = Title ?? "Precision-recall" + (categoryName == null ? "" : ": " + categoryName);
            if (!ShouldProcess(target.Path, "Write precision-recall chart")) return;
            var file = PrecisionRecallChartWriter.Write(this, target, permissions, Force, chartTitle, panels, results[0].PrecisionRecall.RecallThresholds, Color, Width, Height);
            if (file != null && PassThru) WriteObject(file);
        }

        private int ResolveCategory(PrecisionRecallCurves axis)
        {
            for (int k = 0; k < axis.CategoryIds.Length; k++)
                if (string.Equals(axis.CategoryNames[k], Category, StringComparison.OrdinalIgnoreCase)) return axis.CategoryIds[k];
            if (int.TryParse(Category, NumberStyles.Integer, CultureInfo.InvariantCulture, out int id) && Array.IndexOf(axis.CategoryIds, id) >= 0) return id;
            var some = new List<string>();
            for (int k = 0; k < axis.CategoryIds.Length && k < 8; k++) some.Add(axis.CategoryIds[k] + " " + axis.CategoryNames[k]);
            ThrowTerminatingError(Errors.InvalidArgument("CategoryNotFound", nameof(Category), Category,
                "-Category '" + Category + "' is neither a category name nor an id of the ground truth (such as " + string.Join(", ", some) + ")."));
            return 0;
        }
    }
}
