using System;
using System.Globalization;
using System.Management.Automation;

namespace BoxFusion.Commands
{
    /// <summary>
    /// Builds detections from parameters or from any objects' properties (CSV rows, custom objects):
    /// ImageId, CategoryId, Score and either X, Y, Width, Height or X1, Y1, X2, Y2.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "Detection")]
    [Alias("New-Detections")]
    [OutputType(typeof(Detection))]
    public sealed class NewDetectionCommand : PSCmdlet
    {
        private long index;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("image_id")]
        [ValidateNotNull]
        public object ImageId { get; set; }

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("category_id", "Category", "Class")]
        public int CategoryId { get; set; }

        [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
        [Alias("Confidence", "Conf")]
        public double Score { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public double? X { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public double? Y { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("W")]
        public double? Width { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("H")]
        public double? Height { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("XMin", "Left")]
        public double? X1 { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("YMin", "Top")]
        public double? Y1 { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("XMax", "Right")]
        public double? X2 { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("YMax", "Bottom")]
        public double? Y2 { get; set; }

        /// <summary>The model the detections came from (default: "model").</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Model { get; set; } = "model";

        protected override void ProcessRecord()
        {
            long record = index++;
            object id = ImageId is PSObject p ? p.BaseObject : ImageId;
            // CSV cells are strings: "42" meant the COCO id 42; "42.jpg" stays a file name.
            id = DetectionConversion.ImageIdFromText(id);
            double x, y, w, h;
            bool corners = X1.HasValue && Y1.HasValue && X2.HasValue && Y2.HasValue;
            if (corners) { x = X1.Value; y = Y1.Value; w = X2.Value - X1.Value; h = Y2.Value - Y1.Value; }
            else if (X.HasValue && Y.HasValue && Width.HasValue && Height.HasValue) { x = X.Value; y = Y.Value; w = Width.Value; h = Height.Value; }
            else
            {
                WriteError(Errors.Create("IncompleteBox", ErrorCategory.InvalidArgument, ImageId, string.Format(CultureInfo.InvariantCulture,
                    "Input {0} (image {1}): give the box as X, Y, Width, Height or as X1, Y1, X2, Y2.", record, ImageId)));
                return;
            }
            string problem = DetectionRules.Problem(Score, x, y, w, h, out _);
            if (problem != null && corners)
            {
                // The width and height were computed from what was given: show that too.
                problem = string.Format(CultureInfo.InvariantCulture, "{0} (the box from X1 {1:R}, Y1 {2:R}, X2 {3:R}, Y2 {4:R})", problem, X1.Value, Y1.Value, X2.Value, Y2.Value);
            }
            Detection detection = null;
            if (problem == null)
            {
                try
                {
                    detection = new Detection(id, CategoryId, Score, x, y, w, h, Model);
                }
                catch (ArgumentException e)
                {
                    problem = e.Message;
                }
            }
            if (problem != null)
            {
                WriteError(Errors.Create("InvalidDetection", ErrorCategory.InvalidData, ImageId,
                    string.Format(CultureInfo.InvariantCulture, "Input {0} (image {1}): {2}.", record, ImageId, problem.TrimEnd('.'))));
                return;
            }
            WriteObject(detection);
        }
    }
}
