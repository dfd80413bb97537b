using System;
using System.Globalization;
using System.Management.Automation;

namespace BoxFusion.Commands
{
    /// <summary>
    /// Binds a duration the way a user means it: a number is seconds (PowerShell alone would read 600 as 600 ticks,
    /// 60 microseconds), a string is seconds ('600') or a time span ('00:10:00'), a TimeSpan stays as it is.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class SecondsOrTimeSpanAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject ps ? ps.BaseObject : inputData;
            switch (value)
            {
                case null:
                case TimeSpan _:
                    return value;
                case string text:
                    text = text.Trim();
                    if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)) return FromSeconds(seconds, inputData);
                    if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span)) return span;
                    throw Unusable(inputData);
                case double _:
                case float _:
                case decimal _:
                case int _:
                case long _:
                case short _:
                case byte _:
                case sbyte _:
                case ushort _:
                case uint _:
                case ulong _:
                    return FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture), inputData);
                default:
                    return inputData; // PowerShell's own conversion decides (and names the type if it cannot)
            }
        }

        private static TimeSpan FromSeconds(double seconds, object inputData)
        {
            if (double.IsNaN(seconds) || Math.Abs(seconds) > TimeSpan.MaxValue.TotalSeconds) throw Unusable(inputData);
            // From ticks, not TimeSpan.FromSeconds: .NET Framework rounds that to whole milliseconds.
            long ticks = (long)Math.Round(seconds * TimeSpan.TicksPerSecond);
            if (ticks == 0 && seconds > 0) ticks = 1;
            return TimeSpan.FromTicks(ticks);
        }

        private static ArgumentTransformationMetadataException Unusable(object inputData) => new ArgumentTransformationMetadataException(
            string.Format(CultureInfo.InvariantCulture, "'{0}' is not a duration: give seconds (600) or a time span ('00:10:00', or New-TimeSpan -Minutes 10).", inputData));
    }
}
