using System;
using System.Globalization;
using System.Management.Automation;

namespace BoxFusion.Commands
{
    /// <summary>
    /// Reads a number given as text with the invariant culture only. PowerShell's own conversion would take "0,85"
    /// as 85 (the comma as a thousands separator); here it is an error that says how to write the number.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class InvariantNumberAttribute : ArgumentTransformationAttribute
    {
        /// <summary>Only whole numbers (category ids): "1.5" is an error rather than a rounded 2.</summary>
        public bool WholeNumber { get; set; }

        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject p ? p.BaseObject : inputData;
            bool text = value is string;
            bool fraction = WholeNumber && (value is double || value is float || value is decimal);
            if (!text && !fraction) return inputData;
            double? number = DetectionFields.Number(value);
            if (number == null)
            {
                throw new ArgumentTransformationMetadataException(string.Format(CultureInfo.InvariantCulture,
                    "'{0}' is not a number; {1}.", value, DetectionFields.NumberHint));
            }
            if (!WholeNumber) return number.Value;
            if (number.Value != Math.Floor(number.Value) || Math.Abs(number.Value) > int.MaxValue)
            {
                throw new ArgumentTransformationMetadataException(string.Format(CultureInfo.InvariantCulture,
                    "'{0}' is not a whole number; give the category's numeric id.", value));
            }
            return (int)number.Value;
        }
    }
}
