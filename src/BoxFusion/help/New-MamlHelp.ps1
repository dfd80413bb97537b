<#
.SYNOPSIS
    Builds BoxFusion's MAML help (en-US/BoxFusion.dll-Help.xml) from the help data files, checked against the compiled cmdlets.
.DESCRIPTION
    Each <Cmdlet-Name>.help.psd1 in -SourceFolder holds the hand-written part of one cmdlet's help:

        @{
            Synopsis    = 'One sentence.'
            Description = 'Paragraphs, separated by blank lines.'
            Parameters  = @{ Name = @{ Description = '...'; Default = '...'; AcceptedValues = '...' or @('A', 'B') } }
            Inputs      = @( @{ Type = 'System.String'; Description = '...' } )
            Outputs     = @( @{ Type = 'BoxFusion.Detection'; Description = '...' } )
            Notes       = 'Paragraphs.'
            Examples    = @( @{ Title = '...'; Code = '...'; Remarks = 'Paragraphs.' } )   # at least two
            Links       = @( 'Merge-Detection', @{ Text = 'ensemble-boxes'; Uri = 'https://...' } )
        }

    In text, a blank line starts a new paragraph; a line that starts with '-', '*', a digit or a space keeps its
    line break (lists, tables), other line breaks become spaces.

    What the code knows is read from the cmdlets (Import-Module -ModulePath, then Get-Command): parameter sets,
    types, positions, mandatory, pipeline input, aliases, wildcards, enum and ValidateSet values, ValidateRange
    ranges and default values (from a new instance of the cmdlet class). A parameter's Default may be left out when
    the property's initial value says it all; -WhatIf and -Confirm get standard text.

    The script throws, listing every problem, when the data files and the cmdlets disagree: an exported cmdlet
    without a data file, a parameter documented that does not exist or one that exists but is not documented, an
    empty description, a Default that contradicts the cmdlet's initial value, AcceptedValues that differ from the
    enum or ValidateSet, an [OutputType] missing from Outputs, fewer than two examples, or an unknown key.
    A data file for a cmdlet the module does not (yet) export is skipped with a warning.
.EXAMPLE
    ./src/BoxFusion/help/New-MamlHelp.ps1 -OutputPath out/BoxFusion/en-US/BoxFusion.dll-Help.xml -ModulePath out/BoxFusion
#>
[CmdletBinding()]
param(
    [string] $SourceFolder = $PSScriptRoot,
    [Parameter(Mandatory = $true)] [string] $OutputPath,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../../out/BoxFusion')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$ns = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}
$commonParameters = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
$shouldProcessText = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}
$allowedKeys = 'Synopsis', 'Description', 'Parameters', 'Inputs', 'Outputs', 'Notes', 'Examples', 'Links'
$problems = [System.Collections.Generic.List[string]]::new()

# ---- Text ---------------------------------------------------------------------------------------------------

# Paragraphs of a text: blank lines separate them; list-like lines keep their line break.
function Split-Paragraph([string] $Text) {
    if ([string]::IsNullOrWhiteSpace($Text)) { return }
    foreach ($block in ($Text.Trim() -split '\r?\n\s*\r?\n')) {
        $out = [System.Text.StringBuilder]::new()
        foreach ($line in ($block -split '\r?\n')) {
            if ($out.Length -eq 0) { [void]$out.Append($line.TrimEnd()) }
            elseif ($line -match '^(\s|[-*]\s|\d+[.)]\s)') { [void]$out.Append("`n").Append($line.TrimEnd()) }
            else { [void]$out.Append(' ').Append($line.Trim()) }
        }
        $out.ToString()
    }
}

function Get-TypeName([type] $Type, [switch] $Full) {
    $inner = [Nullable]::GetUnderlyingType($Type)
    if ($inner) { $Type = $inner }
    if ($Type.IsArray) { return (Get-TypeName $Type.GetElementType() -Full:$Full) + '[]' }
    if ($Full) { return $Type.FullName }
    return $Type.Name
}

function Format-Scalar($Value) {
    if ($Value -is [System.IFormattable]) { return $Value.ToString($null, [cultureinfo]::InvariantCulture) }
    return [string]$Value
}

# The initial value of a cmdlet property as help text; $null when it says nothing (null, false, 0, empty).
function Format-InitialValue($Value) {
    if ($null -eq $Value) { return $null }
    if ($Value -is [System.Management.Automation.SwitchParameter]) { $Value = $Value.IsPresent }
    if ($Value -is [bool]) { if ($Value) { return 'True' } return $null }
    if ($Value -is [string]) { if ($Value) { return $Value } return $null }
    if ($Value -is [enum]) { return $Value.ToString() }
    if ($Value -is [timespan]) { if ($Value -ne [timespan]::Zero) { return $Value.ToString() } return $null }
    if ($Value -is [System.Collections.IEnumerable]) {
        $items = @(foreach ($item in $Value) { Format-Scalar $item })
        if ($items.Count -gt 0) { return $items -join ', ' }
        return $null
    }
    if ($Value -is [System.ValueType] -and $Value -is [System.IConvertible]) {
        if ([double]$Value -eq 0) { return $null }
        return Format-Scalar $Value
    }
    return $null
}

# ---- Reflection ---------------------------------------------------------------------------------------------

function Get-ValidValue($Parameter) {
    $set = $Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
    if ($set) { return @($set.ValidValues) }
    $type = $Parameter.ParameterType
    if ($type.IsArray) { $type = $type.GetElementType() }
    $inner = [Nullable]::GetUnderlyingType($type)
    if ($inner) { $type = $inner }
    if ($type.IsEnum) { return [enum]::GetNames($type) }
}

function Get-RangeText($Parameter) {
    $range = $Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] } | Select-Object -First 1
    if (-not $range -or $null -eq $range.MinRange) { return $null }
    $max = $range.MaxRange
    if ([double]$max -ge [int]::MaxValue) { return "$(Format-Scalar $range.MinRange) or more" }
    return "$(Format-Scalar $range.MinRange) to $(Format-Scalar $max)"
}

function Get-PipelineText([bool] $ByValue, [bool] $ByPropertyName) {
    $kinds = @(if ($ByValue) { 'ByValue' }; if ($ByPropertyName) { 'ByPropertyName' })
    if ($kinds.Count -eq 0) { return 'False' }
    return "True ($($kinds -join ', '))"
}

# One record per documented parameter: reflected facts merged with the data file's text.
function Get-ParameterFact($Command, [string] $Name, $Doc, $Instance) {
    $meta = $Command.Parameters[$Name]
    $inSets = @($Command.ParameterSets | ForEach-Object { $_.Parameters | Where-Object Name -EQ $Name })
    $positions = @($inSets | Where-Object Position -GE 0 | ForEach-Object Position | Select-Object -Unique)
    $values = @(Get-ValidValue $meta)
    $isSwitch = $meta.SwitchParameter
    $initial = $null
    $property = $Command.ImplementingType.GetProperty($Name)
    if ($property -and $Instance) { $initial = Format-InitialValue ($property.GetValue($Instance)) }
    $description = if ($Doc) { $Doc.Description } else { $shouldProcessText[$Name] }
    $default = if ($Doc -and $Doc.ContainsKey('Default')) { [string]$Doc.Default } elseif ($initial) { $initial } elseif ($isSwitch) { 'False' } else { 'None' }
    $accepted = if ($Doc -and $Doc.ContainsKey('AcceptedValues')) { @($Doc.AcceptedValues) } elseif ($values.Count) { $values } else { @(Get-RangeText $meta) }
    [pscustomobject]@{
        Name           = $Name
        Description    = $description
        Type           = $meta.ParameterType
        IsSwitch       = $isSwitch
        Required       = @($inSets | Where-Object IsMandatory).Count -eq $inSets.Count
        Position       = if ($positions.Count -eq 1) { [string]$positions[0] } else { 'named' }
        Pipeline       = Get-PipelineText (@($inSets | Where-Object ValueFromPipeline).Count -gt 0) (@($inSets | Where-Object ValueFromPipelineByPropertyName).Count -gt 0)
        Globbing       = @($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count -gt 0
        Aliases        = @($meta.Aliases)
        Default        = $default
        Initial        = $initial
        ValidValues    = $values
        AcceptedValues = @($accepted | Where-Object { $_ })
    }
}

# ---- Checks ---------------------------------------------------------------------------------------------------

function Test-HelpData([string] $Name, $Data, $Command, $Facts) {
    $p = { param($message) $problems.Add("${Name}: $message") }
    foreach ($key in $Data.Keys) { if ($key -notin $allowedKeys) { & $p "unknown key '$key' (allowed: $($allowedKeys -join ', '))" } }
    foreach ($key in 'Synopsis', 'Description') {
        if (-not $Data.ContainsKey($key) -or [string]::IsNullOrWhiteSpace($Data[$key])) { & $p "$key is missing or empty" }
    }
    $documented = if ($Data.ContainsKey('Parameters') -and $Data.Parameters -is [hashtable]) { $Data.Parameters } else { & $p 'Parameters must be a hashtable'; @{} }
    $public = @($Command.Parameters.Keys | Where-Object { $_ -notin $commonParameters })
    foreach ($param in $public) { if (-not $documented.ContainsKey($param)) { & $p "parameter '$param' exists but is not documented" } }
    foreach ($param in $documented.Keys) {
        if (-not $Command.Parameters.ContainsKey($param)) { & $p "parameter '$param' is documented but does not exist (parameters: $($public -join ', '))"; continue }
        $doc = $documented[$param]
        if ($doc -isnot [hashtable]) { & $p "parameter '$param' must be a hashtable"; continue }
        foreach ($key in $doc.Keys) { if ($key -notin 'Description', 'Default', 'AcceptedValues') { & $p "parameter '$param' has an unknown key '$key'" } }
        if ([string]::IsNullOrWhiteSpace($doc['Description'])) { & $p "parameter '$param' has no Description" }
    }
    foreach ($fact in $Facts) {
        if ($fact.Initial -and $fact.Default) {
            $said = ($fact.Default -replace '\s', '').ToLowerInvariant()
            $is = ($fact.Initial -replace '\s', '').ToLowerInvariant()
            if (-not $said.StartsWith($is) -or ($said.Length -gt $is.Length -and $said[$is.Length] -match '[\w.]')) {
                & $p "parameter '$($fact.Name)' is documented with default '$($fact.Default)' but the cmdlet's default is '$($fact.Initial)'"
            }
        }
        if ($fact.ValidValues.Count -and $Data.Parameters[$fact.Name] -is [hashtable] -and $Data.Parameters[$fact.Name].ContainsKey('AcceptedValues')) {
            $given = @($Data.Parameters[$fact.Name].AcceptedValues) -join ', '
            if ($given -ne ($fact.ValidValues -join ', ')) { & $p "parameter '$($fact.Name)' lists accepted values '$given' but the cmdlet accepts '$($fact.ValidValues -join ', ')'" }
        }
    }
    $examples = @(if ($Data.ContainsKey('Examples')) { $Data.Examples })
    if ($examples.Count -lt 2) { & $p "has $($examples.Count) examples; give at least two" }
    foreach ($example in $examples) {
        if ($example -isnot [hashtable] -or [string]::IsNullOrWhiteSpace($example['Title']) -or [string]::IsNullOrWhiteSpace($example['Code'])) { & $p 'every example needs a Title and Code'; continue }
        foreach ($key in $example.Keys) { if ($key -notin 'Title', 'Code', 'Remarks') { & $p "example '$($example.Title)' has an unknown key '$key'" } }
    }
    foreach ($section in 'Inputs', 'Outputs') {
        foreach ($entry in @(if ($Data.ContainsKey($section)) { $Data[$section] })) {
            if ($entry -isnot [hashtable] -or [string]::IsNullOrWhiteSpace($entry['Type'])) { & $p "every entry of $section needs a Type" }
        }
    }
    $outputs = @(if ($Data.ContainsKey('Outputs')) { $Data.Outputs | Where-Object { $_ -is [hashtable] } | ForEach-Object { $_['Type'] } })
    foreach ($type in @($Command.OutputType | ForEach-Object Name)) {
        if ($type -notin $outputs) { & $p "Outputs does not list the [OutputType] $type" }
    }
}

# ---- MAML ---------------------------------------------------------------------------------------------------

function Write-Element([System.Xml.XmlWriter] $W, [string] $Qualified, [string] $Text) {
    $prefix, $local = $Qualified -split ':'
    $W.WriteElementString($prefix, $local, $ns[$prefix], $Text)
}

function Write-Para([System.Xml.XmlWriter] $W, [string] $Qualified, [string[]] $Paragraphs) {
    $prefix, $local = $Qualified -split ':'
    $W.WriteStartElement($prefix, $local, $ns[$prefix])
    $any = $false
    foreach ($para in $Paragraphs) { if ($para) { Write-Element $W 'maml:para' $para; $any = $true } }
    if (-not $any) { Write-Element $W 'maml:para' '' }
    $W.WriteEndElement()
}

function Write-Parameter([System.Xml.XmlWriter] $W, $Fact, [switch] $InSyntax, $Set) {
    $required = $Fact.Required; $position = $Fact.Position; $pipeline = $Fact.Pipeline
    if ($Set) {
        $info = $Set.Parameters | Where-Object Name -EQ $Fact.Name
        $required = $info.IsMandatory
        $position = if ($info.Position -ge 0) { [string]$info.Position } else { 'named' }
        $pipeline = Get-PipelineText $info.ValueFromPipeline $info.ValueFromPipelineByPropertyName
    }
    $W.WriteStartElement('command', 'parameter', $ns.command)
    $W.WriteAttributeString('required', "$required".ToLowerInvariant())
    $W.WriteAttributeString('variableLength', "$($Fact.Type.IsArray)".ToLowerInvariant())
    $W.WriteAttributeString('globbing', "$($Fact.Globbing)".ToLowerInvariant())
    $W.WriteAttributeString('pipelineInput', $pipeline)
    $W.WriteAttributeString('position', $position)
    $W.WriteAttributeString('aliases', $(if ($Fact.Aliases.Count) { $Fact.Aliases -join ', ' } else { 'none' }))
    Write-Element $W 'maml:name' $Fact.Name
    $paragraphs = @(Split-Paragraph $Fact.Description)
    if ($Fact.AcceptedValues.Count) { $paragraphs += 'Accepted values: ' + ($Fact.AcceptedValues -join ', ') }
    Write-Para $W 'maml:description' $paragraphs
    if ($Fact.ValidValues.Count) {
        $W.WriteStartElement('command', 'parameterValueGroup', $ns.command)
        foreach ($value in $Fact.ValidValues) {
            $W.WriteStartElement('command', 'parameterValue', $ns.command)
            $W.WriteAttributeString('required', 'false')
            $W.WriteAttributeString('command', 'variableLength', $ns.command, 'false')
            $W.WriteString($value)
            $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }
    if (-not ($InSyntax -and $Fact.IsSwitch)) {
        $W.WriteStartElement('command', 'parameterValue', $ns.command)
        $W.WriteAttributeString('required', "$(-not $Fact.IsSwitch)".ToLowerInvariant())
        $W.WriteAttributeString('variableLength', 'false')
        $W.WriteString((Get-TypeName $Fact.Type))
        $W.WriteEndElement()
    }
    $W.WriteStartElement('dev', 'type', $ns.dev)
    Write-Element $W 'maml:name' (Get-TypeName $Fact.Type -Full)
    Write-Element $W 'maml:uri' ''
    $W.WriteEndElement()
    Write-Element $W 'dev:defaultValue' $Fact.Default
    $W.WriteEndElement()
}

function Write-TypeList([System.Xml.XmlWriter] $W, [string] $Outer, [string] $Inner, $Entries) {
    $W.WriteStartElement('command', $Outer, $ns.command)
    foreach ($entry in $Entries) {
        $W.WriteStartElement('command', $Inner, $ns.command)
        $W.WriteStartElement('dev', 'type', $ns.dev)
        Write-Element $W 'maml:name' $entry.Type
        $W.WriteEndElement()
        Write-Para $W 'maml:description' @(Split-Paragraph $entry['Description'])
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

function Write-Command([System.Xml.XmlWriter] $W, $Command, $Data, $Facts) {
    $W.WriteStartElement('command', 'command', $ns.command)
    foreach ($prefix in 'maml', 'command', 'dev', 'MSHelp') { $W.WriteAttributeString('xmlns', $prefix, $null, $ns[$prefix]) }
    $W.WriteStartElement('command', 'details', $ns.command)
    Write-Element $W 'command:name' $Command.Name
    Write-Element $W 'command:verb' $Command.Verb
    Write-Element $W 'command:noun' $Command.Noun
    Write-Para $W 'maml:description' @(Split-Paragraph $Data.Synopsis)
    $W.WriteEndElement()
    Write-Para $W 'maml:description' @(Split-Paragraph $Data.Description)

    $byName = @{}
    foreach ($fact in $Facts) { $byName[$fact.Name] = $fact }
    $order = @($Facts | ForEach-Object Name)
    $W.WriteStartElement('command', 'syntax', $ns.command)
    $sets = @($Command.ParameterSets | Sort-Object { -not $_.IsDefault })
    foreach ($set in $sets) {
        $W.WriteStartElement('command', 'syntaxItem', $ns.command)
        Write-Element $W 'maml:name' $Command.Name
        $inSet = @($set.Parameters | Where-Object { $byName.ContainsKey($_.Name) })
        $positional = @($inSet | Where-Object Position -GE 0 | Sort-Object Position)
        $named = @($inSet | Where-Object Position -LT 0 | Sort-Object { $order.IndexOf($_.Name) })
        foreach ($info in $positional + $named) { Write-Parameter $W $byName[$info.Name] -InSyntax -Set $set }
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($fact in $Facts) { Write-Parameter $W $fact }
    $W.WriteEndElement()

    $inputs = @(if ($Data.ContainsKey('Inputs')) { $Data.Inputs } else { @{ Type = 'None'; Description = '' } })
    $outputs = @(if ($Data.ContainsKey('Outputs')) { $Data.Outputs } else { @{ Type = 'None'; Description = '' } })
    Write-TypeList $W 'inputTypes' 'inputType' $inputs
    Write-TypeList $W 'returnValues' 'returnValue' $outputs

    $W.WriteStartElement('maml', 'alertSet', $ns.maml)
    Write-Para $W 'maml:alert' @(if ($Data.ContainsKey('Notes')) { Split-Paragraph $Data.Notes })
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'examples', $ns.command)
    $number = 0
    foreach ($example in $Data.Examples) {
        $number++
        $W.WriteStartElement('command', 'example', $ns.command)
        Write-Element $W 'maml:title' "----- Example ${number}: $($example.Title.Trim()) -----"
        Write-Element $W 'dev:code' ($example.Code.Trim() -replace '\r\n', "`n")
        # The empty last paragraph puts a blank line between one example's remarks and the next title.
        Write-Para $W 'dev:remarks' (@(Split-Paragraph $example['Remarks']) + ' ')
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('maml', 'relatedLinks', $ns.maml)
    foreach ($link in @(if ($Data.ContainsKey('Links')) { $Data.Links })) {
        $text, $uri = if ($link -is [hashtable]) { $link['Text'], $link['Uri'] } else { [string]$link, '' }
        $W.WriteStartElement('maml', 'navigationLink', $ns.maml)
        Write-Element $W 'maml:linkText' $text
        Write-Element $W 'maml:uri' $uri
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
    $W.WriteEndElement()
}

# ---- Main ---------------------------------------------------------------------------------------------------

$module = Import-Module $ModulePath -PassThru -ErrorAction Stop -Verbose:$false | Where-Object Name -EQ 'BoxFusion' | Select-Object -First 1
if (-not $module) { throw "'$ModulePath' did not load the BoxFusion module." }
$files = @{}
foreach ($file in Get-ChildItem -LiteralPath $SourceFolder -Filter '*.help.psd1') { $files[$file.Name -replace '\.help\.psd1$', ''] = $file.FullName }
$commands = @($module.ExportedCmdlets.Values | Sort-Object Name)
foreach ($name in $files.Keys) {
    if ($name -notin $commands.Name) { Write-Warning "'$name.help.psd1': the module exports no cmdlet '$name'; skipped." }
}

$entries = foreach ($command in $commands) {
    if (-not $files.ContainsKey($command.Name)) { $problems.Add("$($command.Name): no help data file '$($command.Name).help.psd1' in '$SourceFolder'"); continue }
    try { $data = Import-PowerShellDataFile -LiteralPath $files[$command.Name] }
    catch { $problems.Add("$($command.Name): cannot read '$($files[$command.Name])': $($_.Exception.Message)"); continue }
    $instance = try { [Activator]::CreateInstance($command.ImplementingType) } catch { $null }
    $documented = if ($data['Parameters'] -is [hashtable]) { $data.Parameters } else { @{} }
    # In declaration order (the order the cmdlet's author chose), -WhatIf and -Confirm last.
    $names = @($command.Parameters.Keys | Where-Object { $documented.ContainsKey($_) -and $_ -notin 'WhatIf', 'Confirm' }) +
        @($command.Parameters.Keys | Where-Object { $_ -in 'WhatIf', 'Confirm' })
    $facts = @(foreach ($name in $names) {
        $doc = if ($documented[$name] -is [hashtable]) { $documented[$name] } else { $null }
        Get-ParameterFact $command $name $doc $instance
    })
    Test-HelpData $command.Name $data $command $facts
    [pscustomobject]@{ Command = $command; Data = $data; Facts = $facts }
}

if ($problems.Count -gt 0) {
    throw "The help data in '$SourceFolder' does not match the cmdlets of '$ModulePath':`n  " + ($problems -join "`n  ")
}

$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.IndentChars = '  '
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$buffer = [System.IO.MemoryStream]::new()
$writer = [System.Xml.XmlWriter]::Create($buffer, $settings)
$writer.WriteStartDocument()
$writer.WriteStartElement('helpItems', 'http://msh')
$writer.WriteAttributeString('schema', 'maml')
foreach ($entry in $entries) { Write-Command $writer $entry.Command $entry.Data $entry.Facts }
$writer.WriteEndElement()
$writer.WriteEndDocument()
$writer.Dispose()

$target = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutputPath)
$folder = Split-Path $target -Parent
if (-not (Test-Path -LiteralPath $folder)) { $null = New-Item -ItemType Directory $folder }
[System.IO.File]::WriteAllBytes($target, $buffer.ToArray())
Write-Verbose "Wrote help for $(@($entries).Count) cmdlets to '$target'."
