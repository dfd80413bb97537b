using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;

namespace BoxFusion.Commands
{
    /// <summary>
    /// Builds detections from parameters or from any objects' properties (CSV rows, custom objects):
    /// ImageId, CategoryId, Score and either X, Y, Width, Height or X1, Y1, X2, Y2, under BoxFusion's names or
    /// the common names of other tools (image_id, filename, label, class, confidence, xmin, ...).
    /// </summary>
    [Cmdlet(VerbsCommon.New, "Detection", DefaultParameterSetName = ValueSet)]
    [Alias("New-Detections")]
    [OutputType(typeof(Detection))]
    public sealed class NewDetectionCommand : PSCmdlet
    {
        private const string ValueSet = "Value";
        private const string InputSet = "InputObject";
        private const string DefaultModel = "model";
        private long index;
        private long scoresAboveOne;
        private long firstScoreAboveOne = -1;

        /// <summary>
        /// An object whose properties give the detection (a CSV row, a custom object, a hashtable). Its columns are read
        /// by <see cref="DetectionFields"/> rather than bound by PowerShell, so numbers are read with the invariant culture
        /// and a bad value is an error that names its column.
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputSet)]
        public PSObject InputObject { get; set; }

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ValueSet)]
        [Parameter(ParameterSetName = InputSet)]
        [Alias("image_id", "Image", "FileName")]
        [ValidateNotNull]
        public object ImageId { get; set; }

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ValueSet)]
        [Parameter(ParameterSetName = InputSet)]
        [Alias("category_id", "Category", "Class", "Label")]
        [InvariantNumber(WholeNumber = true)]
        public int CategoryId { get; set; }

        [Parameter(Mandatory = true, Position = 2, ParameterSetName = ValueSet)]
        [Parameter(ParameterSetName = InputSet)]
        [Alias("Confidence", "Conf")]
        [InvariantNumber]
        public double Score { get; set; }

        [Parameter(ParameterSetName = ValueSet)]
        [Parameter(ParameterSetName = InputSet)]
        [InvariantNumber]
        public double X { get; set; }

        [Parameter(ParameterSetName = ValueSet)]
        [Parameter(ParameterSetName = InputSet)]
        [InvariantNumber]
        public double Y { get; set; }

        [Parameter(ParameterSetName = ValueSet)]
        [Parameter(ParameterSetName = InputSet)]
        [Alias("W")]
        [InvariantNumber]
        public double Width { get; set; }

        [Parameter(ParameterSetName = ValueSet)]
        [Parameter(ParameterSetName = InputSet)]
        [Alias("H")]
        [InvariantNumber]
        public double Height { get; set; }

        [Parameter(ParameterSetName = ValueSet)]
        [Parameter(ParameterSetName = InputSet)]
        [Alias("XMin", "Left")]
        [InvariantNumber]
        public double X1 { get; set; }

        [Parameter(ParameterSetName = ValueSet)]
        [Parameter(ParameterSetName = InputSet)]
        [Alias("YMin", "Top")]
        [InvariantNumber]
        public double Y1 { get; set; }

        [Parameter(ParameterSetName = ValueSet)]
        [Parameter(ParameterSetName = InputSet)]
        [Alias("XMax", "Right")]
        [InvariantNumber]
        public double X2 { get; set; }

        [Parameter(ParameterSetName = ValueSet)]
        [Parameter(ParameterSetName = InputSet)]
        [Alias("YMax", "Bottom")]
        [InvariantNumber]
        public double Y2 { get; set; }

        /// <summary>The model the detections came from; with pipeline input it replaces a Model column. Default: "model".</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Model { get; set; } = DefaultModel;

        protected override void ProcessRecord()
        {
            long record = index++;
            if (ParameterSetName == InputSet && InputObject == null) return;
            var given = new Dictionary<DetectionField, object>();
            foreach (var pair in MyInvocation.BoundParameters)
            {
                if (Enum.TryParse(pair.Key, ignoreCase: true, out DetectionField field) && field != DetectionField.Model) given[field] = pair.Value;
            }
            bool modelGiven = MyInvocation.BoundParameters.ContainsKey(nameof(Model));
            if (modelGiven) given[DetectionField.Model] = Model;
            var detection = DetectionFields.Read(ParameterSetName == InputSet ? InputObject : null, given, DefaultModel, out var problem);
            if (detection != null) problem = Check(detection);
            if (problem != null)
            {
                object target = ParameterSetName == InputSet ? (object)InputObject : ImageId;
                WriteError(Errors.Create(problem.ErrorId, ErrorCategory.InvalidData, target, string.Format(CultureInfo.InvariantCulture,
                    "Input {0}{1}: {2}.", record, (detection?.ImageId ?? problem.ImageId) == null ? "" : " (image " + ImageIds.Describe(detection?.ImageId ?? problem.ImageId) + ")", problem.Message.TrimEnd('.'))));
                return;
            }
            if (detection.Score > 1 && scoresAboveOne++ == 0) firstScoreAboveOne = record;
            WriteObject(detection);
        }

        private static DetectionProblem Check(Detection d)
        {
            // The engine's one rule for a valid detection: finite, not negative, within DetectionRules.MaxMagnitude.
            string problem = DetectionRules.Problem(d, out _);
            return problem == null ? null : new DetectionProblem("InvalidDetection", problem);
        }

        protected override void EndProcessing()
        {
            if (scoresAboveOne == 0) return;
            WriteWarning(string.Format(CultureInfo.InvariantCulture,
                "{0} input{1} {2} a score above 1 (first: input {3}); {4} kept. Fused WBF output with -ConfidenceType Avg and unequal weights, or -AllowOverflow, has such scores; other detectors' scores above 1 are not probabilities.",
                scoresAboveOne, scoresAboveOne == 1 ? "" : "s", scoresAboveOne == 1 ? "has" : "have", firstScoreAboveOne, scoresAboveOne == 1 ? "it was" : "they were"));
        }
    }
}
