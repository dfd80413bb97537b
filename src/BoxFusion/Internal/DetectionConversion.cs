using System;
using System.Management.Automation;

namespace BoxFusion.Commands
{
    /// <summary>Builds a detection from any object's properties (CSV rows, deserialized detections, hashtables).</summary>
    internal static class DetectionConversion
    {
        /// <summary>Throws ArgumentException naming the missing or bad property (see <see cref="DetectionFields"/>).</summary>
        public static Detection FromProperties(PSObject source, string defaultModel = null)
        {
            if (source.BaseObject is Detection d) return d;
            return DetectionFields.Read(source, null, defaultModel, out var problem, checkRules: false) ?? throw new ArgumentException(problem.Message);
        }

        /// <summary>
        /// CSV cells are text: "42" meant the COCO id 42, while "42.jpg" or "007" stay text. Other values pass unchanged.
        /// </summary>
        public static object ImageIdFromText(object id)
        {
            string s = (id as string)?.Trim();
            if (s != null && s.Length > 0 && s.Length < 19 && (s == "0" || s[0] != '0')
                && long.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long n))
                return n;
            return id;
        }
    }

    /// <summary>Rehydrates deserialized detections (Import-Clixml, remoting) into BoxFusion.Detection.</summary>
    public sealed class DetectionTypeConverter : PSTypeConverter
    {
        public override bool CanConvertFrom(object sourceValue, Type destinationType) => destinationType == typeof(Detection);

        public override object ConvertFrom(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase)
        {
            try
            {
                return DetectionConversion.FromProperties(PSObject.AsPSObject(sourceValue));
            }
            catch (ArgumentException e)
            {
                throw new PSInvalidCastException("Cannot convert to BoxFusion.Detection: " + e.Message, e);
            }
        }

        public override bool CanConvertTo(object sourceValue, Type destinationType) => false;

        public override object ConvertTo(object sourceValue, Type destinationType, IFormatProvider formatProvider, bool ignoreCase) =>
            throw new NotSupportedException();
    }
}
