# The help: every cmdlet's MAML help (generated from src/BoxFusion/help/*.help.psd1), about_BoxFusion,
# and the generator's refusal to write help that has drifted from the cmdlets.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ModuleUnderTest
    $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
    $cmdlets = foreach ($command in Get-Command -Module BoxFusion -CommandType Cmdlet | Sort-Object Name) {
        @{
            Name       = $command.Name
            Parameters = @($command.Parameters.Keys | Where-Object { $_ -notin $common } | ForEach-Object { @{ Parameter = $_ } })
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ModuleUnderTest
    $script:HelpSource = Join-Path $RepoRoot 'src/BoxFusion/help'
    $script:Generator = Join-Path $HelpSource 'New-MamlHelp.ps1'

    # The parameters of the BoxFusion commands an example's code calls that the command does not have.
    function Get-UnknownParameter([string] $Code) {
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref]$null, [ref]$errors)
        if ($errors) { return "does not parse: $($errors[0].Message)" }
        foreach ($call in $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true)) {
            $commandName = $call.GetCommandName()
            if (-not $commandName) { continue }
            $command = Get-Command $commandName -Module BoxFusion -ErrorAction SilentlyContinue
            if (-not $command) { continue }
            if ($command -is [System.Management.Automation.AliasInfo]) { $command = $command.ResolvedCommand }
            foreach ($element in $call.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] }) {
                $name = $element.ParameterName
                $exact = @($command.Parameters.Values | Where-Object { $_.Name -eq $name -or $_.Aliases -contains $name })
                $prefix = @($command.Parameters.Values | Where-Object { $_.Name -like "$name*" })
                if ($exact.Count -eq 0 -and $prefix.Count -ne 1) { "$($command.Name) -$name" }
            }
        }
    }

    # A help data file as text, for writing changed copies.
    function ConvertTo-Psd1($Value, [int] $Depth = 0) {
        $pad = '    ' * ($Depth + 1)
        if ($Value -is [hashtable]) {
            $lines = foreach ($key in $Value.Keys) { "$pad$key = $(ConvertTo-Psd1 $Value[$key] ($Depth + 1))" }
            return "@{`n$($lines -join "`n")`n$('    ' * $Depth)}"
        }
        if ($Value -is [array]) {
            $items = foreach ($item in $Value) { "$pad$(ConvertTo-Psd1 $item ($Depth + 1))" }
            return "@(`n$($items -join "`n")`n$('    ' * $Depth))"
        }
        if ($Value -is [string]) { return "'" + $Value.Replace("'", "''") + "'" }
        return [string]$Value
    }

    # A copy of the help data files, changed by $Change (given the folder and a loader/saver), for the generator.
    function Invoke-GeneratorOnCopy([scriptblock] $Change) {
        $folder = New-TestFolder
        try {
            Copy-Item (Join-Path $HelpSource '*.help.psd1') $folder
            $load = { param($name) Import-PowerShellDataFile (Join-Path $folder "$name.help.psd1") }
            $save = { param($name, $data) Set-Content -LiteralPath (Join-Path $folder "$name.help.psd1") -Value (ConvertTo-Psd1 $data) }
            & $Change $folder $load $save
            $target = Join-Path $folder 'out/BoxFusion.dll-Help.xml'
            & $Generator -SourceFolder $folder -OutputPath $target -ModulePath $ModulePath -WarningAction SilentlyContinue
            [System.IO.File]::ReadAllBytes($target)
        }
        finally { Remove-Item -LiteralPath $folder -Recurse -Force }
    }
}

Describe 'Get-Help <Name> -Full' -ForEach $cmdlets {
    BeforeAll {
        $help = Get-Help $Name -Full
        $command = Get-Command $Name
        $data = Import-PowerShellDataFile (Join-Path $HelpSource "$Name.help.psd1")
        $instance = [Activator]::CreateInstance($command.ImplementingType)
    }

    It 'comes from the MAML file, with a written synopsis' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        # Without help, PowerShell makes the synopsis from the syntax: "Name [-Parameter] <Type> ...".
        $help.Synopsis.Trim() | Should -Not -BeLike "$Name *"
        $help.Synopsis | Should -Not -Match '<CommonParameters>'
        $help.Synopsis.Trim() | Should -Be $data.Synopsis.Trim()
    }

    It 'has a description' {
        ($help.description.Text -join "`n").Trim().Length | Should -BeGreaterThan 80
    }

    It 'has at least two examples, each with code and remarks' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.code | Should -Not -BeNullOrEmpty
            ($example.remarks.Text -join '').Trim() | Should -Not -BeNullOrEmpty
        }
    }

    It 'calls only parameters that exist in its examples' {
        $problems = foreach ($example in $help.examples.example) { Get-UnknownParameter $example.code }
        $problems | Should -BeNullOrEmpty
    }

    It 'names its input and output types, including every [OutputType]' {
        @($help.inputTypes.inputType.type.name | Where-Object { $_ }) | Should -Not -BeNullOrEmpty
        $outputs = @($help.returnValues.returnValue.type.name)
        $outputs | Should -Not -BeNullOrEmpty
        foreach ($type in $command.OutputType.Name) { $outputs | Should -Contain $type }
    }

    It 'has one syntax per parameter set' {
        @($help.syntax.syntaxItem).Count | Should -Be @($command.ParameterSets).Count
    }

    It 'documents -<Parameter>' -ForEach $Parameters {
        $documented = @($help.parameters.parameter | Where-Object name -EQ $Parameter)
        $documented.Count | Should -Be 1 -Because "-$Parameter is a parameter of $Name"
        $p = $documented[0]
        $text = ($p.description.Text -join "`n").Trim()
        $text | Should -Not -BeNullOrEmpty
        $p.defaultValue | Should -Not -BeNullOrEmpty
        $given = $data.Parameters[$Parameter]
        if ($given.ContainsKey('Default')) { $p.defaultValue | Should -Be $given.Default }
        $meta = $command.Parameters[$Parameter]
        $declared = $meta.ParameterType
        if ([Nullable]::GetUnderlyingType($declared)) { $declared = [Nullable]::GetUnderlyingType($declared) }
        $p.type.name | Should -Be $declared.FullName
        if ($meta.Aliases.Count) { $p.aliases | Should -Be ($meta.Aliases -join ', ') }
        $type = if ($meta.ParameterType.IsArray) { $meta.ParameterType.GetElementType() } else { $meta.ParameterType }
        if ($type.IsEnum) {
            @($p.parameterValueGroup.parameterValue) | Should -Be ([enum]::GetNames($type))
            $text | Should -BeLike "*Accepted values: $([enum]::GetNames($type) -join ', ')*"
        }
        # A default the cmdlet sets itself (not null, false or 0) is the one the help shows.
        $initial = $command.ImplementingType.GetProperty($Parameter).GetValue($instance)
        $shown = $null
        if ($initial -is [enum]) { $shown = $initial.ToString() }
        elseif ($initial -is [string]) { $shown = $initial }
        elseif (($initial -is [int] -or $initial -is [double]) -and $initial -ne 0) { $shown = $initial.ToString([cultureinfo]::InvariantCulture) }
        if ($shown) { $p.defaultValue | Should -BeLike "$shown*" }
    }
}

Describe 'Get-Help about_BoxFusion' {
    BeforeAll {
        $text = Get-Help about_BoxFusion | Out-String
    }

    It 'returns the topic in the standard layout' {
        $text | Should -Match 'TOPIC\s+about_BoxFusion'
        foreach ($section in 'SHORT DESCRIPTION', 'LONG DESCRIPTION', 'EXAMPLES', 'SEE ALSO') { $text | Should -Match "(?m)^$section\s*$" }
    }

    It 'explains the workflow, the methods, when to choose which, and the main parameters' {
        foreach ($word in 'Import-Detection', 'Merge-Detection', 'Measure-Detection', 'Export-Submission', 'Optimize-Fusion',
            'WBF', 'NMS', 'SoftNMS', 'NMW', 'CHOOSING A METHOD', '-IouThreshold', '-Weight', '-SkipBoxThreshold', '-ConfidenceType', 'ensemble-boxes') {
            $text | Should -BeLike "*$word*"
        }
    }

    It 'keeps its lines within 80 characters, as about topics do' {
        $long = Get-Content (Join-Path $ModulePath 'en-US/about_BoxFusion.help.txt') | Where-Object Length -GT 80
        $long | Should -BeNullOrEmpty
    }
}

Describe 'New-MamlHelp.ps1' {
    It 'makes the help that the build put in the module, as valid MAML' {
        $bytes = Invoke-GeneratorOnCopy { }
        $built = [System.IO.File]::ReadAllBytes((Join-Path $ModulePath 'en-US/BoxFusion.dll-Help.xml'))
        [System.Convert]::ToBase64String($bytes) | Should -Be ([System.Convert]::ToBase64String($built)) -Because 'the build runs the generator (rebuild after editing a help data file)'
        $xml = [xml][System.Text.Encoding]::UTF8.GetString($bytes)
        $xml.helpItems.schema | Should -Be 'maml'
        @($xml.helpItems.command).Count | Should -Be @(Get-Command -Module BoxFusion -CommandType Cmdlet).Count
    }

    It 'refuses a data file that documents a parameter the cmdlet does not have' {
        { Invoke-GeneratorOnCopy { param($folder, $load, $save)
                $data = & $load 'New-Detection'
                $data.Parameters.Confidence2 = @{ Description = 'Not a parameter.'; Default = 'None' }
                & $save 'New-Detection' $data } } |
            Should -Throw "*New-Detection: parameter 'Confidence2' is documented but does not exist*"
    }

    It 'refuses a data file that leaves out a parameter the cmdlet has' {
        { Invoke-GeneratorOnCopy { param($folder, $load, $save)
                $data = & $load 'Merge-Detection'
                $data.Parameters.Remove('SkipBoxThreshold')
                & $save 'Merge-Detection' $data } } |
            Should -Throw "*Merge-Detection: parameter 'SkipBoxThreshold' exists but is not documented*"
    }

    It 'refuses a default that contradicts the cmdlet, and an empty description' {
        $message = try {
            $null = Invoke-GeneratorOnCopy { param($folder, $load, $save)
                $data = & $load 'Merge-Detection'
                $data.Parameters.Sigma.Default = '0.3'
                $data.Parameters.Method.Description = ' '
                & $save 'Merge-Detection' $data }
            'no error'
        }
        catch { $_.Exception.Message }
        $message | Should -BeLike "*Merge-Detection: parameter 'Sigma' is documented with default '0.3' but the cmdlet's default is '0.5'*"
        $message | Should -BeLike "*Merge-Detection: parameter 'Method' has no Description*"
    }

    It 'refuses fewer than two examples, and a cmdlet without a data file' {
        $message = try {
            $null = Invoke-GeneratorOnCopy { param($folder, $load, $save)
                $data = & $load 'Export-Submission'
                $data.Examples = @($data.Examples[0])
                & $save 'Export-Submission' $data
                Remove-Item (Join-Path $folder 'New-Detection.help.psd1') }
            'no error'
        }
        catch { $_.Exception.Message }
        $message | Should -BeLike '*Export-Submission: has 1 examples; give at least two*'
        $message | Should -BeLike '*New-Detection: no help data file*'
    }
}
